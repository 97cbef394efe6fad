import { sql } from "drizzle-orm";
import { CompareSeriesInput, type ComparePoint, type CompareSeriesResult } from "@/contracts/compare";
import { textArray } from "@/server/db/arrays";
import { readSeries, type SeriesRead } from "../series/read-series";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { authorizeRun } from "../runs/authorize-run";

/**
 * Float series of several runs in one call, for overlaid charts. Every run is authorized on its
 * own (an unknown run, or one the actor may not see, fails the whole call with 404); a run
 * without a float series at a path gets `points: null` instead of failing the others.
 * Reads go through readSeries, so buckets keep their exact extremes.
 */
export async function readCompareSeries(ctx: Ctx, raw: unknown): Promise<CompareSeriesResult> {
  const input = parseInput(CompareSeriesInput, raw);
  const runIds = [...new Set(input.runIds.map((id) => id.toLowerCase()))];
  const paths = [...new Set(input.paths)];
  const projectIds = new Set<string>();
  for (const runId of runIds) {
    projectIds.add(await authorizeRun(ctx, "project.read", runId));
  }
  const query: Record<string, unknown> = { maxPoints: input.maxPoints };
  if (input.fromStep !== undefined) query.fromStep = input.fromStep;
  if (input.toStep !== undefined) query.toStep = input.toStep;

  // Which (run, path) pairs are float series: only those are read, the rest have no line.
  const present = await ctx.database.rows<{ run_id: string; path: string }>(sql`
    SELECT run_id, path FROM fields
    WHERE run_id = ANY(${textArray(runIds)}::text::uuid[]) AND project_id = ANY(${textArray([...projectIds])}::text::uuid[])
      AND path = ANY(${textArray(paths)}::text::text[]) AND type = 'floatSeries'`);
  const has = new Set(present.map((r) => `${r.run_id} ${r.path}`));
  const series: CompareSeriesResult["series"] = [];
  for (const runId of runIds) {
    for (const path of paths) {
      const read = has.has(`${runId} ${path}`) ? await readSeries(ctx, { runId, path, query }) : null;
      series.push({ runId, path, ...toPoints(read) });
    }
  }
  return { series };
}

const num = (v: number | string | null): number => (v === null ? NaN : typeof v === "number" ? v : Number(v));

function toPoints(read: SeriesRead | null): { points: ComparePoint[] | null; bucketed: boolean } {
  if (!read) return { points: null, bucketed: false };
  if ("buckets" in read) {
    return {
      bucketed: true,
      points: read.buckets.map((b) => ({ x: b.toStep, y: num(b.last), min: num(b.min), max: num(b.max) })),
    };
  }
  return { bucketed: false, points: read.points.map((p) => ({ x: p.step, y: num(p.value) })) };
}
