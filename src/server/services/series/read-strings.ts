import { sql } from "drizzle-orm";
import { ReadLinesInput, type LinesPage } from "@/contracts/run-media";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { openStringSeries, textLine } from "./string-series";

type Row = { step: number; value: string; ts: string | number };

/**
 * A page of a string series by step, for the console: the latest lines before a step
 * (loading earlier lines) or the first lines after one (catching up). Both are index range
 * reads on (series_id, step), whatever the series' length.
 */
export async function readStrings(ctx: Ctx, raw: ReadLinesInput): Promise<LinesPage> {
  const input = parseInput(ReadLinesInput, raw);
  const seriesId = await openStringSeries(ctx, input.runId, input.path);
  const { limit, beforeStep, afterStep } = input;
  const exists = async (cond: ReturnType<typeof sql>) =>
    (await ctx.database.rows(sql`SELECT 1 FROM string_points WHERE series_id = ${seriesId} AND ${cond} LIMIT 1`)).length > 0;

  if (afterStep !== undefined) {
    const rows = await ctx.database.rows<Row>(sql`
      SELECT step, value, ts FROM string_points
      WHERE series_id = ${seriesId} AND step > ${afterStep} ${beforeStep === undefined ? sql`` : sql`AND step < ${beforeStep}`}
      ORDER BY step LIMIT ${limit + 1}`);
    const lines = rows.slice(0, limit).map(textLine);
    return { lines, hasLater: rows.length > limit, hasEarlier: await exists(sql`step <= ${afterStep}`) };
  }
  const rows = await ctx.database.rows<Row>(sql`
    SELECT step, value, ts FROM string_points
    WHERE series_id = ${seriesId} ${beforeStep === undefined ? sql`` : sql`AND step < ${beforeStep}`}
    ORDER BY step DESC LIMIT ${limit + 1}`);
  const lines = rows.slice(0, limit).reverse().map(textLine);
  return { lines, hasEarlier: rows.length > limit, hasLater: beforeStep === undefined ? false : await exists(sql`step >= ${beforeStep}`) };
}
