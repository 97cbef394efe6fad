import { sql } from "drizzle-orm";
import { ListFilesInput, type RunFile } from "@/contracts/run-media";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

type Row = {
  path: string; type: RunFile["type"]; size: string | number | null; content_type: string | null; sha256: string | null;
  count: string | number | null; first_step: number | null; last_step: number | null;
};

/** Every file and file series of a run, in path order (file series show their latest entry). */
export async function listFiles(ctx: Ctx, raw: ListFilesInput): Promise<{ files: RunFile[] }> {
  const input = parseInput(ListFilesInput, raw);
  const projectId = await authorizeRun(ctx, "project.read", input.runId);
  const rows = await ctx.database.rows<Row>(sql`
    SELECT path, type, size, content_type, sha256, count, first_step, last_step FROM fields
    WHERE run_id = ${input.runId} AND project_id = ${projectId} AND type IN ('file', 'fileSeries')
    ORDER BY path`);
  return {
    files: rows.map((r) => ({
      path: r.path, type: r.type, size: r.size === null ? null : Number(r.size), contentType: r.content_type, sha256: r.sha256,
      count: r.type === "fileSeries" ? Number(r.count ?? 0) : null,
      firstStep: r.type === "fileSeries" ? r.first_step : null,
      lastStep: r.type === "fileSeries" ? r.last_step : null,
    })),
  };
}
