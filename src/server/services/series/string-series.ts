import { sql } from "drizzle-orm";
import { invalid, notFound } from "@/server/errors";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

/** Authorizes a run-scoped read and finds the string series at `path`: its internal id. */
export async function openStringSeries(ctx: Ctx, runId: string, path: string): Promise<number> {
  const projectId = await authorizeRun(ctx, "project.read", runId);
  const [field] = await ctx.database.rows<{ id: string | number; type: string }>(sql`
    SELECT id, type FROM fields WHERE run_id = ${runId} AND project_id = ${projectId} AND path = ${path}`);
  if (!field) throw notFound("series");
  if (field.type !== "stringSeries") throw invalid(`path "${path}" is a ${field.type}, not a string series`, "path");
  return Number(field.id);
}

export const textLine = (r: { step: number; value: string; ts: string | number }) => ({ step: Number(r.step), value: r.value, ts: Number(r.ts) });
