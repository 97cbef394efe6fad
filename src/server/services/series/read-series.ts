import { sql } from "drizzle-orm";
import { z } from "zod";
import { invalid, notFound } from "@/server/errors";
import { jsonNumber, jsonNumberOrNull } from "@/server/realtime/json-number";
import type { Ctx } from "../context";
import { BLOCK_FANOUT, BLOCK_LEVELS } from "./blocks";
import { bucketize } from "./bucketize";
import { coverRange, type Range } from "./pieces";
import { authorizeRun } from "@/server/services/runs/authorize-run";

export const SeriesQuery = z.object({
  maxPoints: z.coerce.number().int().min(1).max(100_000).default(1_000),
  fromStep: z.coerce.number().optional(),
  toStep: z.coerce.number().optional(),
});

type JsonNum = number | string;
export type SeriesRead =
  | { points: { step: number; value: JsonNum; ts: number }[]; truncated?: boolean }
  | { buckets: { fromStep: number; toStep: number; min: JsonNum | null; max: JsonNum | null; last: JsonNum; count: number }[] };

/**
 * Reads a window of a series for a chart: the points themselves when at most maxPoints fall
 * in it, otherwise at most maxPoints min/max/last buckets built from stored blocks.
 */
export async function readSeries(ctx: Ctx, input: { runId: string; path: string; query: Record<string, unknown> }): Promise<SeriesRead> {
  const projectId = await authorizeRun(ctx, "project.read", input.runId);
  const q = SeriesQuery.safeParse(input.query);
  if (!q.success) {
    const issue = q.error.issues[0];
    throw invalid(issue.message, String(issue.path[0] ?? "query"));
  }
  const { maxPoints, fromStep, toStep } = q.data;
  const [field] = await ctx.database.rows<{ id: string | number; type: string; count: string | number | null }>(sql`
    SELECT id, type, count FROM fields WHERE run_id = ${input.runId} AND project_id = ${projectId} AND path = ${input.path}`);
  if (!field) throw notFound("series");
  const id = Number(field.id);
  const range: Range = { lo: fromStep ?? -Infinity, loOpen: false, hi: toStep ?? Infinity, hiOpen: false };
  if (range.lo > range.hi) throw invalid("fromStep is greater than toStep", "fromStep");

  if (field.type === "stringSeries") return readText(ctx, id, range, maxPoints);
  if (field.type !== "floatSeries") throw invalid(`path "${input.path}" is a ${field.type}, not a series`, "path");

  const estimate = Number(field.count) <= maxPoints ? Number(field.count) : await estimateCount(ctx, id, range);
  if (estimate <= maxPoints + 2 * BLOCK_FANOUT) {
    const points = await rawPoints(ctx, id, range, maxPoints + 1);
    if (points.length <= maxPoints) return { points };
  }
  // The coarsest level that still gives at least maxPoints blocks in the window.
  let level = 0;
  for (const l of BLOCK_LEVELS) if (estimate / BLOCK_FANOUT ** l >= maxPoints) level = l;
  const pieces = await coverRange(ctx.database, id, level, range);
  const total = pieces.reduce((n, p) => n + p.count, 0);
  if (total <= maxPoints) return { points: await rawPoints(ctx, id, range, maxPoints) };
  return {
    buckets: bucketize(pieces, maxPoints).map((b) => ({
      fromStep: b.fromStep, toStep: b.toStep, min: jsonNumberOrNull(b.min), max: jsonNumberOrNull(b.max), last: jsonNumber(b.last), count: b.count,
    })),
  };
}

/** Points in the window, from level-1 block numbers (two index probes, within ±64 points). */
async function estimateCount(ctx: Ctx, seriesId: number, range: Range): Promise<number> {
  const probe = (bound: number) => ctx.database.rows<{ block_no: string | number }>(sql`
    SELECT block_no FROM series_blocks WHERE series_id = ${seriesId} AND level = 1 AND from_step <= ${bound}
    ORDER BY from_step DESC LIMIT 1`);
  const [hi] = await probe(range.hi);
  if (!hi) return 0;
  const [lo] = await probe(range.lo);
  return Math.max(0, Number(hi.block_no) - Number(lo?.block_no ?? 0) + 1) * BLOCK_FANOUT;
}

async function rawPoints(ctx: Ctx, seriesId: number, range: Range, limit: number) {
  const rows = await ctx.database.rows<{ step: number; value: number; ts: string | number }>(sql`
    SELECT step, value, ts FROM float_points
    WHERE series_id = ${seriesId} AND step >= ${range.lo} AND step <= ${range.hi}
    ORDER BY step LIMIT ${limit}`);
  return rows.map((r) => ({ step: Number(r.step), value: jsonNumber(Number(r.value)), ts: Number(r.ts) }));
}

/** Text series: the latest maxPoints lines of the window (a console tail). */
async function readText(ctx: Ctx, seriesId: number, range: Range, maxPoints: number): Promise<SeriesRead> {
  const rows = await ctx.database.rows<{ step: number; value: string; ts: string | number }>(sql`
    SELECT step, value, ts FROM string_points
    WHERE series_id = ${seriesId} AND step >= ${range.lo} AND step <= ${range.hi}
    ORDER BY step DESC LIMIT ${maxPoints + 1}`);
  const truncated = rows.length > maxPoints;
  const points = rows.slice(0, maxPoints).reverse().map((r) => ({ step: Number(r.step), value: r.value, ts: Number(r.ts) }));
  return truncated ? { points, truncated } : { points };
}
