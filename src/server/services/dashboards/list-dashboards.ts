import { sql } from "drizzle-orm";
import { ListDashboardsInput, type DashboardSummary } from "@/contracts/dashboards";
import { authorize } from "@/server/authz/authorize";
import { iso } from "@/server/db/values";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

/** A project's dashboards by name, for everyone who reads the project. */
export async function listDashboards(ctx: Ctx, raw: unknown): Promise<DashboardSummary[]> {
  const input = parseInput(ListDashboardsInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "project.read", projectId);
  const rows = await ctx.database.rows<{ id: string; name: string; widgets: number | string | null; created_by: string | null; updated_at: Date | string }>(sql`
    SELECT d.id, d.name, jsonb_array_length(COALESCE(d.layout->'widgets', '[]'::jsonb)) AS widgets, u.email AS created_by, d.updated_at
    FROM dashboards d LEFT JOIN users u ON u.id = d.created_by
    WHERE d.project_id = ${projectId} ORDER BY lower(d.name), d.id`);
  return rows.map((r) => ({ id: r.id, name: r.name, widgets: Number(r.widgets ?? 0), createdBy: r.created_by, updatedAt: iso(r.updated_at)! }));
}
