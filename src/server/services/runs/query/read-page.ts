import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import type { RunRow } from "./column-values";
import type { CompiledFilter } from "./compile-filter";
import { fieldTypeLiteral, type SortKey } from "./sort-key";

export type PageRow = RunRow & { sort_value: string | null };
export type Cursor = { value: string | null; id: string };
type Direction = "asc" | "desc";
type FieldKey = Extract<SortKey, { kind: "field" }>;
type Page = { database: Database; projectId: string; key: SortKey; direction: Direction; filter: CompiledFilter | null; cursor: Cursor | null; n: number };

/**
 * How many index entries a walk reads before it gives up on a filter that matches too few of
 * them: at 100k runs, 3,000 probes take ~30 ms warm, and a filter that rejects more than
 * 98% of the runs is cheaper to evaluate first (the fallback, a few ms for such a filter).
 * A first, shorter walk tells the two apart: one that finds too few matches to promise a full
 * page within the cap goes to the fallback at once (~5 ms spent instead of ~30).
 */
export const WALK_MIN_ENTRIES = 3000;
export const FIRST_WALK_MIN_ENTRIES = 500;
const walkCaps = (n: number) => [Math.max(FIRST_WALK_MIN_ENTRIES, 2 * n), Math.max(WALK_MIN_ENTRIES, 10 * n)] as const;

const COLUMNS = sql`r.id, r.key, r.name, r.description, r.state, r.custom_id, r.created_at, r.modified_at, r.last_ping_at,
  r.finished_at, (SELECT u.email FROM users u WHERE u.id = r.owner_id) AS owner_email`;

/**
 * Up to `n` runs after `cursor` in the order: value (missing values last), then id, both in
 * `direction`. Sorts with an index are read by walking it (see walk); the rest, and walks
 * whose filter matches too few entries, by evaluating the filter first and sorting the matches.
 */
export async function readPage(page: Page): Promise<PageRow[]> {
  const { key } = page;
  if (key.kind === "field" && key.indexed) return walkField(page, key);
  if (key.kind === "sys" && key.walk) return walkSys(page, key.walk);
  return filterFirst(page);
}

/**
 * A field sort: the values in index order (project_id, path, value, run_id) from the cursor,
 * each run tested by `probe`, stopping at `n` matches; then, once the values are exhausted,
 * the runs without one. Page 200 costs what page 1 does: the cursor is where the walk starts.
 */
async function walkField(page: Page, key: FieldKey): Promise<PageRow[]> {
  const { projectId, direction, cursor, n } = page;
  if (cursor?.value === null) return missingValues(page, key, n, cursor.id);
  const col = sql`f.${key.column}`;
  const source = sql`FROM fields f
    WHERE f.project_id = ${projectId} AND f.path = ${key.path} AND f.type = ${fieldTypeLiteral(key)} AND ${col} IS NOT NULL
      ${cursor ? sql`AND (${col}, f.run_id) ${cmp(direction)} (${cursorValue(key, cursor)}, ${cursor.id}::uuid)` : sql``}`;
  const rows = await walkOrGiveUp(page, source, sql`SELECT f.run_id, ${col} AS v ${source} ORDER BY ${col} ${dir(direction)}, f.run_id ${dir(direction)}`);
  if (rows === null) return filterFirst(page);
  if (rows.length === n) return rows;
  return [...rows, ...(await missingValues(page, key, n - rows.length, null))];
}

/** A sort by a system column every run has, with an index (project_id, column, id). */
async function walkSys(page: Page, column: SQL): Promise<PageRow[]> {
  const { projectId, key, direction, cursor } = page;
  if (cursor?.value === null) return []; // no run lacks the value
  const col = sql`r.${column}`;
  const source = sql`FROM runs r WHERE r.project_id = ${projectId}
    ${cursor ? sql`AND (${col}, r.id) ${cmp(direction)} (${cursorValue(key, cursor)}, ${cursor.id}::uuid)` : sql``}`;
  const rows = await walkOrGiveUp(page, source, sql`SELECT r.id AS run_id, ${col} AS v ${source} ORDER BY ${col} ${dir(direction)}, r.id ${dir(direction)}`);
  return rows ?? filterFirst(page);
}

/**
 * The first `n` matching runs of `entries` (the rows of `source` in page order): fewer when
 * `source` has no more; null when the filter matches too few of them to be worth walking.
 */
async function walkOrGiveUp(page: Page, source: SQL, entries: SQL): Promise<PageRow[] | null> {
  const { n } = page;
  const [first, cap] = walkCaps(n);
  const rows = await walk(page, entries, first);
  if (rows.length === n || !(await stoppedAtLimit(page, source, first))) return rows;
  // Matches at this rate would not fill the page within the cap.
  if (rows.length * (cap / first) < n) return null;
  const more = await walk(page, entries, cap);
  if (more.length === n || !(await stoppedAtLimit(page, source, cap))) return more;
  return null;
}

/**
 * The first `n` runs of `entries` (run_id, v, in page order, at most `limit` of them) that
 * pass the filter. The filter is a scalar subquery per run, so nothing is read beyond the
 * entries walked; the limit bounds the cost for filters that match almost nothing.
 */
function walk(page: Page, entries: SQL, limit: number): Promise<PageRow[]> {
  const { database, projectId, direction, filter, n } = page;
  return database.rows<PageRow>(sql`
    SELECT ${COLUMNS}, w.v::text AS sort_value
    FROM (${entries} LIMIT ${int(limit)}) w
    JOIN runs r ON r.id = w.run_id
    WHERE r.project_id = ${projectId} ${filter ? sql`AND ${filter.probe}` : sql``}
    ORDER BY w.v ${dir(direction)}, w.run_id ${dir(direction)}
    LIMIT ${int(n)}`);
}

/** Whether a walk limited to `limit` entries that came back short stopped at its limit rather than at the end of `source`. */
async function stoppedAtLimit(page: Page, source: SQL, limit: number): Promise<boolean> {
  if (!page.filter) return false;
  const [{ entries }] = await page.database.rows<{ entries: number }>(sql`SELECT count(*)::int AS entries FROM (SELECT 1 ${source} LIMIT ${int(limit)}) x`);
  return entries >= limit;
}

/** Runs that have no value for a field sort, by id, after `afterId` when given. */
function missingValues(page: Page, key: FieldKey, n: number, afterId: string | null): Promise<PageRow[]> {
  const { database, projectId, direction, filter } = page;
  return database.rows<PageRow>(sql`
    SELECT ${COLUMNS}, NULL::text AS sort_value
    FROM runs r
    WHERE r.project_id = ${projectId}
      AND NOT EXISTS (SELECT 1 FROM fields f WHERE f.run_id = r.id AND f.project_id = r.project_id AND f.path = ${key.path}
        AND f.type = ${fieldTypeLiteral(key)} AND f.${key.column} IS NOT NULL)
      ${filter ? sql`AND ${filter.where}` : sql``}
      ${afterId !== null ? sql`AND r.id ${cmp(direction)} ${afterId}::uuid` : sql``}
    ORDER BY r.id ${dir(direction)}
    LIMIT ${int(n)}`);
}

/** The matching runs first, then sorted: for sorts without an index, and very selective filters. */
function filterFirst(page: Page): Promise<PageRow[]> {
  const { database, projectId, key, direction, filter, cursor, n } = page;
  const value = key.kind === "field" ? sql`sf.${key.column}` : key.expr;
  const join = key.kind === "field"
    ? sql`LEFT JOIN fields sf ON sf.run_id = r.id AND sf.project_id = r.project_id AND sf.path = ${key.path} AND sf.type = ${fieldTypeLiteral(key)}`
    : sql``;
  const notNull = key.kind === "sys" && key.notNull;
  const d = dir(direction);
  return database.rows<PageRow>(sql`
    SELECT ${COLUMNS}, (${value})::text AS sort_value
    FROM runs r ${join}
    WHERE r.project_id = ${projectId}
      ${filter ? sql`AND ${filter.where}` : sql``}
      ${cursor ? sql`AND ${after(value, notNull, direction, key, cursor)}` : sql``}
    ORDER BY ${notNull ? sql`` : sql`(${value} IS NULL), `}${value} ${d}, r.id ${d}
    LIMIT ${int(n)}`);
}

/** Rows strictly after the cursor in the order (value IS NULL, value, id). */
function after(value: SQL, notNull: boolean, direction: Direction, key: SortKey, cursor: Cursor): SQL {
  const id = sql`${cursor.id}::uuid`;
  if (cursor.value === null) return sql`(${value} IS NULL AND r.id ${cmp(direction)} ${id})`;
  const position = sql`(${value}, r.id) ${cmp(direction)} (${cursorValue(key, cursor)}, ${id})`;
  return notNull ? position : sql`(${value} IS NULL OR ${position})`;
}

// The type name comes from SortType, a closed set; the value is a parameter, bound as text
// and cast by PostgreSQL: bound as the target type, postgres.js would convert it on the way
// ("true" became false for a bool, timestamps lost their microseconds).
const cursorValue = (key: SortKey, cursor: Cursor) => sql`${cursor.value}::text::${sql.raw(key.type)}`;
const cmp = (direction: Direction) => sql.raw(direction === "asc" ? ">" : "<");
const dir = (direction: Direction) => sql.raw(direction === "asc" ? "ASC" : "DESC");

/**
 * Limits are written into the statement rather than bound: a prepared statement's generic plan
 * would otherwise guess the limit and may pick a join that reads every entry.
 */
function int(n: number): SQL {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row count: ${n}`);
  return sql.raw(String(n));
}
