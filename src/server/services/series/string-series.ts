import { sql } from "drizzle-orm";
import { authorize } from "@/server/authz/authorize";
import { invalid, notFound } from "@/server/errors";
import { projectOfRun } from "../runs/resolve-run";
import type { Ctx } from "../context";

/** Authorizes a run-scoped read and finds the string series at `path`: its internal id. */
export async function openStringSeries(ctx: Ctx, runId: string, path: string): Promise<number> {
  const projectId = await projectOfRun(ctx.database, runId);
  await authorize(ctx.database, ctx.actor, "project.read", projectId, { runId: runId.toLowerCase() });
  const [field] = await ctx.database.rows<{ id: string | number; type: string }>(sql`
    SELECT id, type FROM fields WHERE run_id = ${runId} AND project_id = ${projectId} AND path = ${path}`);
  if (!field) throw notFound("series");
  if (field.type !== "stringSeries") throw invalid(`path "${path}" is a ${field.type}, not a string series`, "path");
  return Number(field.id);
}

export const textLine = (r: { step: number; value: string; ts: string | number }) => ({ step: Number(r.step), value: r.value, ts: Number(r.ts) });
