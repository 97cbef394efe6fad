import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";

/** An exact aggregate of consecutive points: one raw point, or one stored block. */
export type Piece = { fromStep: number; toStep: number; min: number | null; max: number | null; last: number; count: number };

/** A step interval; each end open or closed. */
export type Range = { lo: number; loOpen: boolean; hi: number; hiOpen: boolean };

type Row = { from_step: number; to_step: number; min: number | null; max: number | null; last: number; count: number };

const lowerBound = (r: Range, col: ReturnType<typeof sql.raw>) => (r.loOpen ? sql`${col} > ${r.lo}` : sql`${col} >= ${r.lo}`);
const upperBound = (r: Range, col: ReturnType<typeof sql.raw>) => (r.hiOpen ? sql`${col} < ${r.hi}` : sql`${col} <= ${r.hi}`);

/**
 * Covers every point of `range` with whole blocks of `level` where they fit and finer levels
 * at the two edges, down to raw points. Each level's edges hold fewer than 32 blocks of the
 * next one, so the rows read stay bounded by the window's block count plus about 64 per level.
 */
export async function coverRange(database: Database, seriesId: number, level: number, range: Range): Promise<Piece[]> {
  if (range.lo > range.hi || (range.lo === range.hi && (range.loOpen || range.hiOpen))) return [];
  if (level === 0) {
    const rows = await database.rows<{ step: number; value: number }>(sql`
      SELECT step, value FROM float_points
      WHERE series_id = ${seriesId} AND ${lowerBound(range, sql.raw("step"))} AND ${upperBound(range, sql.raw("step"))}
      ORDER BY step`);
    return rows.map((r) => {
      const v = Number(r.value);
      const real = Number.isNaN(v) ? null : v;
      return { fromStep: Number(r.step), toStep: Number(r.step), min: real, max: real, last: v, count: 1 };
    });
  }
  // Blocks that start inside the range; the last may run past its end.
  const rows = await database.rows<Row>(sql`
    SELECT from_step, to_step, min, max, last, count FROM series_blocks
    WHERE series_id = ${seriesId} AND level = ${level}
      AND ${lowerBound(range, sql.raw("from_step"))} AND ${upperBound(range, sql.raw("from_step"))}
    ORDER BY from_step`);
  const inside = rows.filter((r) => (range.hiOpen ? r.to_step < range.hi : r.to_step <= range.hi));
  if (inside.length === 0) return coverRange(database, seriesId, level - 1, range);
  const first = inside[0];
  const last = inside[inside.length - 1];
  const left = await coverRange(database, seriesId, level - 1, { lo: range.lo, loOpen: range.loOpen, hi: Number(first.from_step), hiOpen: true });
  const right = await coverRange(database, seriesId, level - 1, { lo: Number(last.to_step), loOpen: true, hi: range.hi, hiOpen: range.hiOpen });
  const middle: Piece[] = inside.map((r) => ({
    fromStep: Number(r.from_step), toStep: Number(r.to_step),
    min: r.min === null ? null : Number(r.min), max: r.max === null ? null : Number(r.max),
    last: Number(r.last), count: Number(r.count),
  }));
  return [...left, ...middle, ...right];
}
