import { sql } from "drizzle-orm";
import { CompareRunsInput, type CompareRunsResult } from "@/contracts/compare";
import { authorize } from "@/server/authz/authorize";
import { textArray } from "@/server/db/arrays";
import { notFound } from "@/server/errors";
import { findProject } from "../projects/find-project";
import { getRun } from "../runs/get-run";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The runs of a comparison, named by id or key, in the order asked (duplicates dropped). Every
 * run must belong to the project of the URL: a run of another project is 404, as if it did not
 * exist. Each run is authorized on its own, so a comparison share link reads only its runs.
 */
export async function loadCompareRuns(ctx: Ctx, raw: unknown): Promise<CompareRunsResult> {
  const input = parseInput(CompareRunsInput, raw);
  const project = await findProject(ctx.database, input.workspace, input.project);
  const refs = [...new Set(input.runs)];
  const ids = refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  const keys = refs.filter((r) => !UUID.test(r));
  const rows = await ctx.database.rows<{ id: string; key: string; project_name: string }>(sql`
    SELECT r.id, r.key, p.name AS project_name FROM runs r JOIN projects p ON p.id = r.project_id
    WHERE r.project_id = ${project.id}
      AND (r.id = ANY(${textArray(ids)}::text::uuid[]) OR r.key = ANY(${textArray(keys)}::text::text[]))`);
  const byRef = new Map<string, string>();
  for (const row of rows) {
    byRef.set(row.id, row.id);
    byRef.set(row.key, row.id);
  }
  const runIds: string[] = [];
  for (const ref of refs) {
    const id = byRef.get(UUID.test(ref) ? ref.toLowerCase() : ref);
    if (!id) {
      // Whoever cannot see the project learns nothing more than "not found" either way.
      await authorize(ctx.database, ctx.actor, "project.read", project.id, rows[0] ? { runId: rows[0].id } : {});
      throw notFound("run");
    }
    if (!runIds.includes(id)) runIds.push(id);
  }
  for (const runId of runIds) await authorize(ctx.database, ctx.actor, "project.read", project.id, { runId });
  const runs = [];
  for (const runId of runIds) runs.push(await getRun(ctx, { runId }));
  return { project: { ...project, name: rows[0]?.project_name ?? project.slug }, runs };
}
