import { sql } from "drizzle-orm";
import { UpdateDashboardInput, type Dashboard } from "@/contracts/dashboards";
import { conflict } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { checkLayoutGrammar, isUniqueViolation, loadDashboard, toDashboard, type DashboardRow } from "./dashboard-rows";

/**
 * Renames a dashboard and/or saves its layout (contributors and up). With `baseUpdatedAt`, a
 * save over a newer save by someone else is refused (409) instead of silently replacing it.
 */
export async function updateDashboard(ctx: Ctx, raw: unknown): Promise<Dashboard> {
  const input = parseInput(UpdateDashboardInput, raw);
  const current = await loadDashboard(ctx, input.dashboardId, "run.write");
  if (input.layout) checkLayoutGrammar(input.layout);
  const base = input.baseUpdatedAt ? new Date(input.baseUpdatedAt).toISOString() : null;
  try {
    const [row] = await ctx.database.rows<DashboardRow>(sql`
      UPDATE dashboards SET
        name = COALESCE(${input.name ?? null}::text, name),
        layout = COALESCE(${input.layout ? JSON.stringify(input.layout) : null}::jsonb, layout),
        updated_at = greatest(now(), updated_at + interval '1 millisecond')
      WHERE id = ${current.id} AND project_id = ${current.project_id}
        AND (${base}::timestamptz IS NULL OR date_trunc('milliseconds', updated_at) <= ${base}::timestamptz)
      RETURNING id, project_id, name, layout, created_by, created_at, updated_at`);
    if (!row) throw conflict("someone else saved this dashboard in the meantime; reload to see their changes", "baseUpdatedAt");
    return toDashboard(ctx, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a dashboard named "${input.name}" already exists`, "name");
    throw error;
  }
}
