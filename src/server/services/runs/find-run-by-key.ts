import { sql } from "drizzle-orm";
import type { RunView } from "@/contracts/runs";
import { authorize } from "@/server/authz/authorize";
import { notFound } from "@/server/errors";
import { findProject, type ProjectRef } from "../projects/find-project";
import type { Ctx } from "../context";
import { getRun } from "./get-run";

// Run keys are "<project key>-<number>"; the number finds the row through the unique index.
const RUN_KEY = /^(.+)-([1-9][0-9]{0,9})$/;

/** A run by the slugs and key of its URL (/<workspace>/<project>/runs/<key>). */
export async function findRunByKey(
  ctx: Ctx,
  input: { workspace: string; project: string; key: string },
): Promise<{ project: ProjectRef & { name: string }; run: RunView }> {
  const project = await findProject(ctx.database, input.workspace, input.project);
  const match = RUN_KEY.exec(input.key);
  const number = match ? Number(match[2]) : NaN;
  const valid = Number.isSafeInteger(number) && number <= 2_147_483_647;
  const [row] = valid ? await ctx.database.rows<{ id: string; project_name: string }>(sql`
    SELECT r.id, p.name AS project_name FROM runs r JOIN projects p ON p.id = r.project_id
    WHERE r.project_id = ${project.id} AND r.number = ${number} AND r.key = ${input.key}`) : [];
  // Decided with the run in scope, so a share link to another run of the project sees 404.
  await authorize(ctx.database, ctx.actor, "project.read", project.id, row ? { runId: row.id } : {});
  if (!row) throw notFound("run");
  const run = await getRun(ctx, { runId: row.id });
  return { project: { ...project, name: row.project_name }, run };
}
