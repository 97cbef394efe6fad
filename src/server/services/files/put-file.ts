import type { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { pathProblem } from "@/contracts/paths";
import type { Db } from "@/server/db/client";
import { invalid, notFound } from "@/server/errors";
import { typeConflict } from "../ingest/field-state";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

export type PutFileInput = {
  runId: string;
  path: string;
  body: Readable;
  contentType: string | undefined;
  /** Present (even empty) when the file is an entry of a file series. */
  series?: { step?: string; name?: string; description?: string };
  /** A client's key for this upload: a retry with the same key stores nothing twice. */
  idempotencyKey?: string;
};

type Stored = { path: string; sha256: string; size: number; step?: number };

/**
 * Stores a file at a path of a run, or appends an entry to a file series. The bytes stream
 * to the blob store first; the field changes in one transaction afterwards.
 */
export async function putFile(ctx: Ctx, input: PutFileInput): Promise<Stored> {
  const projectId = await authorizeRun(ctx, "run.write", input.runId);
  const problem = pathProblem(input.path);
  if (problem) throw invalid(problem, "path");
  let step: number | undefined;
  if (input.series?.step !== undefined && input.series.step !== "") {
    step = Number(input.series.step);
    if (!Number.isFinite(step)) throw invalid("must be a finite number", "step");
  }
  const contentType = (input.contentType ?? "application/octet-stream").slice(0, 255);
  const key = input.idempotencyKey;
  if (key !== undefined && (key.length === 0 || key.length > 128)) throw invalid("must be 1 to 128 characters", "Idempotency-Key");
  const blob = await ctx.blobs.put(input.body);
  const wanted = input.series ? "fileSeries" : "file";

  const stored = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [run] = await ctx.database.rows<{ id: string }>(sql`SELECT id FROM runs WHERE id = ${input.runId} AND project_id = ${projectId} FOR UPDATE`, tx);
    if (!run) throw notFound("run");
    const batchId = key === undefined ? null : `file:${key}`;
    if (batchId) {
      const [done] = await ctx.database.rows<{ result: Stored | string }>(sql`
        SELECT result FROM op_batches WHERE run_id = ${input.runId} AND batch_id = ${batchId}`, tx);
      if (done) return { replay: typeof done.result === "string" ? JSON.parse(done.result) as Stored : done.result };
    }
    const remember = async (result: Stored) => {
      if (batchId) {
        await ctx.database.rows(sql`INSERT INTO op_batches (run_id, batch_id, applied, result)
          VALUES (${input.runId}, ${batchId}, 1, ${JSON.stringify(result)}::jsonb)`, tx);
      }
      return { replay: null, result };
    };
    await ctx.database.rows(sql`INSERT INTO blobs (sha256, size) VALUES (${blob.sha256}, ${blob.size}) ON CONFLICT DO NOTHING`, tx);
    const [field] = await ctx.database.rows<{ id: string | number; type: string; last_step: number | null; count: string | number | null }>(sql`
      SELECT id, type, last_step, count FROM fields WHERE run_id = ${input.runId} AND project_id = ${projectId} AND path = ${input.path}`, tx);
    if (field && field.type !== wanted) throw invalid(typeConflict(input.path, field.type as never, wanted), "path");
    if (wanted === "file") {
      await ctx.database.rows(sql`
        INSERT INTO fields (run_id, project_id, path, type, sha256, size, content_type)
        VALUES (${input.runId}, ${projectId}, ${input.path}, 'file', ${blob.sha256}, ${blob.size}, ${contentType})
        ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
          content_type = excluded.content_type, updated_at = now()`, tx);
      return remember({ path: input.path, sha256: blob.sha256, size: blob.size });
    }
    const lastStep = field?.last_step ?? null;
    const entryStep = step ?? (lastStep === null ? 0 : lastStep + 1);
    if (lastStep !== null && entryStep <= lastStep) {
      throw invalid(`step ${entryStep} of file series "${input.path}" is not greater than its previous step ${lastStep}`, "step");
    }
    const [row] = await ctx.database.rows<{ id: string | number }>(sql`
      INSERT INTO fields (run_id, project_id, path, type, count, first_step, last_step, sha256, size, content_type)
      VALUES (${input.runId}, ${projectId}, ${input.path}, 'fileSeries', 1, ${entryStep}, ${entryStep}, ${blob.sha256}, ${blob.size}, ${contentType})
      ON CONFLICT (run_id, path) DO UPDATE SET count = fields.count + 1, last_step = excluded.last_step,
        sha256 = excluded.sha256, size = excluded.size, content_type = excluded.content_type, updated_at = now()
      RETURNING id`, tx);
    await ctx.database.rows(sql`
      INSERT INTO file_entries (field_id, step, name, description, sha256, size, content_type)
      VALUES (${Number(row.id)}, ${entryStep}, ${input.series?.name ?? null}, ${input.series?.description ?? null},
        ${blob.sha256}, ${blob.size}, ${contentType})`, tx);
    return remember({ path: input.path, sha256: blob.sha256, size: blob.size, step: entryStep });
  });
  if (stored.replay) return stored.replay;
  ctx.publisher.fieldsChanged(projectId, input.runId, {}, [], []);
  return stored.result!;
}
