import { sql } from "drizzle-orm";
import { DeleteDashboardInput } from "@/contracts/dashboards";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { loadDashboard } from "./dashboard-rows";

/** Deletes a dashboard (contributors and up). */
export async function deleteDashboard(ctx: Ctx, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(DeleteDashboardInput, raw);
  const row = await loadDashboard(ctx, input.dashboardId, "run.write");
  await ctx.database.rows(sql`DELETE FROM dashboards WHERE id = ${row.id} AND project_id = ${row.project_id}`);
  return { id: row.id };
}
