import { sql } from "drizzle-orm";
import { RunSeriesInput, type RunSeriesPoint, type RunSeriesResult } from "@/contracts/run-data";
import { floatArray } from "@/server/db/arrays";
import { invalid } from "@/server/errors";
import { projectOfRun } from "../runs/resolve-run";
import { readSeries } from "../series/read-series";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

const finite = (v: number | string | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * A window of a run's float series for its chart. readSeries decides between raw points and
 * min/max/last buckets (and authorizes, run-scoped); buckets get the timestamp of their last
 * point here, one indexed lookup for all of them, so wall-clock and relative axes work too.
 */
export async function readRunSeries(ctx: Ctx, raw: unknown): Promise<RunSeriesResult> {
  const input = parseInput(RunSeriesInput, raw);
  const runId = input.runId.toLowerCase();
  const query: Record<string, unknown> = { maxPoints: input.maxPoints };
  if (input.fromStep !== undefined) query.fromStep = input.fromStep;
  if (input.toStep !== undefined) query.toStep = input.toStep;
  const read = await readSeries(ctx, { runId, path: input.path, query });
  if ("points" in read) {
    // Float values are numbers or NaN/Infinity tokens; any string asks which kind of series this is.
    if (read.points.some((p) => typeof p.value === "string")) {
      const projectId = await projectOfRun(ctx.database, runId);
      const [field] = await ctx.database.rows<{ type: string }>(sql`
        SELECT type FROM fields WHERE run_id = ${runId} AND project_id = ${projectId} AND path = ${input.path}`);
      if (field?.type !== "floatSeries") throw invalid(`path "${input.path}" is a text series, not a float series`, "path");
    }
    return { path: input.path, bucketed: false, points: read.points.map((p) => ({ step: p.step, ts: p.ts, y: finite(p.value) })) };
  }
  const projectId = await projectOfRun(ctx.database, runId);
  const steps = read.buckets.map((b) => b.toStep);
  const times = new Map<number, number>();
  if (steps.length > 0) {
    const rows = await ctx.database.rows<{ step: number; ts: string | number }>(sql`
      SELECT p.step, p.ts FROM fields f JOIN float_points p ON p.series_id = f.id
      WHERE f.run_id = ${runId} AND f.project_id = ${projectId} AND f.path = ${input.path}
        AND p.step = ANY(${floatArray(steps)}::text::float8[])`);
    for (const r of rows) times.set(Number(r.step), Number(r.ts));
  }
  const points: RunSeriesPoint[] = read.buckets.map((b) => ({
    step: b.toStep, ts: times.get(b.toStep) ?? 0, y: finite(b.last), min: finite(b.min), max: finite(b.max),
  }));
  return { path: input.path, bucketed: true, points };
}
