import { sql } from "drizzle-orm";
import { RunTableFieldsInput, type RunTableField, type RunTableFields } from "@/contracts/run-table";
import { authorize } from "@/server/authz/authorize";
import type { Ctx } from "../../context";
import { parseInput } from "../../parse-input";
import { findProject } from "../../projects/find-project";

/** More distinct paths than a column picker can offer usefully; the rest are cut off. */
export const MAX_FIELD_PATHS = 5000;

/**
 * The distinct paths of a project's runs with their types, for the column picker and the filter
 * bar. A skip scan of fields (project_id, path, type): one index probe per distinct (path, type)
 * however many runs have it, so 100k runs × 60 paths costs 60 probes, not a scan of 6M rows.
 */
export async function listFields(ctx: Ctx, raw: unknown): Promise<RunTableFields> {
  const input = parseInput(RunTableFieldsInput, raw);
  const project = await findProject(ctx.database, input.workspace, input.project);
  await authorize(ctx.database, ctx.actor, "project.read", project.id);
  const rows = await ctx.database.rows<{ path: string; type: string }>(sql`
    WITH RECURSIVE walk AS (
      (SELECT f.path, f.type FROM fields f WHERE f.project_id = ${project.id} ORDER BY f.path, f.type LIMIT 1)
      UNION ALL
      SELECT n.path, n.type FROM walk w CROSS JOIN LATERAL (
        SELECT f.path, f.type FROM fields f
        WHERE f.project_id = ${project.id} AND (f.path, f.type) > (w.path, w.type)
        ORDER BY f.path, f.type LIMIT 1) n
    )
    SELECT path, type FROM walk LIMIT ${MAX_FIELD_PATHS + 1}`);
  const truncated = rows.length > MAX_FIELD_PATHS;
  const fields: RunTableField[] = [];
  for (const { path, type } of rows.slice(0, MAX_FIELD_PATHS)) {
    const last = fields[fields.length - 1];
    if (last?.path === path) last.types.push(type);
    else fields.push({ path, types: [type] });
  }
  return { fields, truncated };
}
