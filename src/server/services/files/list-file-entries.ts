import { sql } from "drizzle-orm";
import { ListFileEntriesInput, type FileEntriesPage } from "@/contracts/run-media";
import { invalid, notFound } from "@/server/errors";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

type Row = { step: number; name: string | null; description: string | null; size: string | number; content_type: string; sha256: string };

/** A page of a file series' entries in step order: step, name, description, size, type. */
export async function listFileEntries(ctx: Ctx, raw: ListFileEntriesInput): Promise<FileEntriesPage> {
  const input = parseInput(ListFileEntriesInput, raw);
  const projectId = await authorizeRun(ctx, "project.read", input.runId);
  const [field] = await ctx.database.rows<{ id: string | number; type: string; key: string }>(sql`
    SELECT f.id, f.type, r.key FROM fields f JOIN runs r ON r.id = f.run_id AND r.project_id = f.project_id
    WHERE f.run_id = ${input.runId} AND f.project_id = ${projectId} AND f.path = ${input.path}`);
  if (!field) throw notFound("file series");
  if (field.type !== "fileSeries") throw invalid(`path "${input.path}" is a ${field.type}, not a file series`, "path");
  const range = sql`${input.afterStep === undefined ? sql`` : sql`AND step > ${input.afterStep}`} ${input.toStep === undefined ? sql`` : sql`AND step <= ${input.toStep}`}`;
  const rows = await ctx.database.rows<Row>(sql`
    SELECT step, name, description, size, content_type, sha256 FROM file_entries
    WHERE field_id = ${Number(field.id)} ${range}
    ORDER BY step ${input.fromEnd ? sql`DESC` : sql`ASC`} LIMIT ${input.limit + 1}`);
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  if (input.fromEnd) page.reverse();
  const entries = page.map((r) => ({
    step: Number(r.step), name: r.name, description: r.description, size: Number(r.size), contentType: r.content_type, sha256: r.sha256,
  }));
  const first = entries[0]?.step;
  const hasEarlier = input.fromEnd ? more
    : first !== undefined && (await ctx.database.rows(sql`SELECT 1 FROM file_entries WHERE field_id = ${Number(field.id)} AND step < ${first} LIMIT 1`)).length > 0;
  const nextAfterStep = !input.fromEnd && more ? entries[entries.length - 1].step : null;
  return { runKey: field.key, entries, nextAfterStep, hasEarlier };
}
