import { sql, type SQL } from "drizzle-orm";
import { floatArray, intArray } from "@/server/db/arrays";
import { BLOCK_FANOUT, BLOCK_LEVELS, blockSize, type BlockAgg } from "@/server/services/series/blocks";

/**
 * Statements that store the blocks a group completes. Only complete blocks are stored: reads
 * cover a series' unfinished tail with finer levels and raw points, and a one-point append
 * then writes no block at all instead of one per level.
 *
 * A block whose points all arrived in this group is written from memory; one that began in an
 * earlier group is aggregated in SQL from the level below (raw points for level 1), which the
 * statements before it have just written. `finalCount` is each series' count after the group.
 */
export function blockStatements(aggs: Map<string, BlockAgg>, finalCount: Map<number, number>): SQL[] {
  const statements: SQL[] = [];
  for (const level of BLOCK_LEVELS) {
    const size = blockSize(level);
    const whole: BlockAgg[] = [];
    const derived: BlockAgg[] = [];
    for (const a of aggs.values()) {
      if (a.level !== level) continue;
      if (a.count === size) whole.push(a);
      else if ((finalCount.get(a.seriesId) ?? 0) >= (a.blockNo + 1) * size) derived.push(a);
    }
    if (whole.length > 0) statements.push(insertWhole(whole));
    if (derived.length > 0) statements.push(level === 1 ? deriveFromPoints(derived) : deriveFromLevel(derived, level));
  }
  return statements;
}

// Rewriting on conflict also repairs partial blocks written by older versions.
const upsert = sql.raw(`ON CONFLICT (series_id, level, block_no) DO UPDATE SET from_step = excluded.from_step,
  to_step = excluded.to_step, min = excluded.min, max = excluded.max, last = excluded.last, count = excluded.count`);

function insertWhole(b: BlockAgg[]): SQL {
  return sql`
    INSERT INTO series_blocks (series_id, level, block_no, from_step, to_step, min, max, last, count)
    SELECT * FROM unnest(${intArray(b.map((x) => x.seriesId))}::text::int8[], ${intArray(b.map((x) => x.level))}::text::int2[],
      ${intArray(b.map((x) => x.blockNo))}::text::int8[], ${floatArray(b.map((x) => x.fromStep))}::text::float8[],
      ${floatArray(b.map((x) => x.toStep))}::text::float8[], ${floatArray(b.map((x) => x.min))}::text::float8[],
      ${floatArray(b.map((x) => x.max))}::text::float8[], ${floatArray(b.map((x) => x.last))}::text::float8[],
      ${intArray(b.map((x) => x.count))}::text::int4[])
    ${upsert}`;
}

/** Level-1 blocks: the block's last step is in this group; its 32 points end there. */
function deriveFromPoints(b: BlockAgg[]): SQL {
  return sql`
    INSERT INTO series_blocks (series_id, level, block_no, from_step, to_step, min, max, last, count)
    SELECT u.series_id, 1, u.block_no, a.from_step, a.to_step, a.min, a.max, a.last, a.count
    FROM unnest(${intArray(b.map((x) => x.seriesId))}::text::int8[], ${intArray(b.map((x) => x.blockNo))}::text::int8[],
      ${floatArray(b.map((x) => x.toStep))}::text::float8[]) AS u(series_id, block_no, to_step)
    CROSS JOIN LATERAL (
      SELECT min(p.step) AS from_step, max(p.step) AS to_step,
        min(p.value) FILTER (WHERE p.value <> 'NaN') AS min, max(p.value) FILTER (WHERE p.value <> 'NaN') AS max,
        (array_agg(p.value ORDER BY p.step DESC))[1] AS last, count(*)::int AS count
      FROM (SELECT step, value FROM float_points WHERE series_id = u.series_id AND step <= u.to_step
            ORDER BY step DESC LIMIT ${BLOCK_FANOUT}) p
    ) a
    ${upsert}`;
}

/** Level L ≥ 2: the 32 complete blocks of level L-1 under it. */
function deriveFromLevel(b: BlockAgg[], level: number): SQL {
  return sql`
    INSERT INTO series_blocks (series_id, level, block_no, from_step, to_step, min, max, last, count)
    SELECT u.series_id, ${level}, u.block_no, a.from_step, a.to_step, a.min, a.max, a.last, a.count
    FROM unnest(${intArray(b.map((x) => x.seriesId))}::text::int8[], ${intArray(b.map((x) => x.blockNo))}::text::int8[]) AS u(series_id, block_no)
    CROSS JOIN LATERAL (
      SELECT min(c.from_step) AS from_step, max(c.to_step) AS to_step, min(c.min) AS min, max(c.max) AS max,
        (array_agg(c.last ORDER BY c.block_no DESC))[1] AS last, sum(c.count)::int AS count
      FROM series_blocks c
      WHERE c.series_id = u.series_id AND c.level = ${level - 1}
        AND c.block_no BETWEEN u.block_no * ${BLOCK_FANOUT} AND u.block_no * ${BLOCK_FANOUT} + ${BLOCK_FANOUT - 1}
    ) a
    ${upsert}`;
}
