import { sql } from "drizzle-orm";
import { SearchLinesInput, type SearchLinesPage } from "@/contracts/run-media";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { openStringSeries, textLine } from "./string-series";

type Row = { step: number; value: string; ts: string | number };

/**
 * Lines of a string series that contain a text (a plain substring, no wildcards), newest
 * first, over the whole series: the walk goes backwards along (series_id, step) and stops at
 * `limit` matches, so a search in a long log that matches often answers quickly; pass the
 * page's `nextBeforeStep` as `beforeStep` for older matches.
 */
export async function searchStrings(ctx: Ctx, raw: SearchLinesInput): Promise<SearchLinesPage> {
  const input = parseInput(SearchLinesInput, raw);
  const seriesId = await openStringSeries(ctx, input.runId, input.path);
  const match = input.caseSensitive ? sql`strpos(value, ${input.query}) > 0` : sql`strpos(lower(value), ${input.query.toLowerCase()}) > 0`;
  const rows = await ctx.database.rows<Row>(sql`
    SELECT step, value, ts FROM string_points
    WHERE series_id = ${seriesId} ${input.beforeStep === undefined ? sql`` : sql`AND step < ${input.beforeStep}`} AND ${match}
    ORDER BY step DESC LIMIT ${input.limit + 1}`);
  const matches = rows.slice(0, input.limit).map(textLine);
  return { matches, nextBeforeStep: rows.length > input.limit ? matches[matches.length - 1].step : null };
}
