import type { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { invalid, notFound } from "@/server/errors";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

export type FileRead = { body: Readable; size: number; sha256: string; contentType: string; name: string | null };

/** Opens a run's file, or one entry of a file series (`step`, default the latest). */
export async function readFile(ctx: Ctx, input: { runId: string; path: string; step?: string }): Promise<FileRead> {
  const projectId = await authorizeRun(ctx, "project.read", input.runId);
  const [field] = await ctx.database.rows<{ id: string | number; type: string; sha256: string | null; size: string | number | null; content_type: string | null; last_step: number | null }>(sql`
    SELECT id, type, sha256, size, content_type, last_step FROM fields WHERE run_id = ${input.runId} AND project_id = ${projectId} AND path = ${input.path}`);
  if (!field || (field.type !== "file" && field.type !== "fileSeries")) throw notFound("file");
  let entry = { sha256: field.sha256, size: field.size, contentType: field.content_type, name: null as string | null };
  if (field.type === "fileSeries") {
    const step = input.step === undefined || input.step === "" ? field.last_step : Number(input.step);
    if (step === null || !Number.isFinite(step)) throw invalid("must be a number", "step");
    const [row] = await ctx.database.rows<{ sha256: string; size: string | number; content_type: string; name: string | null }>(sql`
      SELECT sha256, size, content_type, name FROM file_entries WHERE field_id = ${Number(field.id)} AND step = ${step}`);
    if (!row) throw notFound(`file at step ${step}`);
    entry = { sha256: row.sha256, size: row.size, contentType: row.content_type, name: row.name };
  }
  if (!entry.sha256) throw notFound("file");
  const body = await ctx.blobs.get(entry.sha256);
  if (!body) throw notFound("file contents");
  return { body, size: Number(entry.size), sha256: entry.sha256, contentType: entry.contentType ?? "application/octet-stream", name: entry.name };
}
