import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { QueryError, type Operand } from "./ast";
import { sysColumns, type SortType } from "./sys-columns";

/**
 * What a page is ordered by: one value per run (NULL when the run has none, sorted last),
 * ties broken by run id.
 *
 * - `field`: a column of the run's `fields` row for `path` of type `fieldType`. `indexed` when
 *   an index (project_id, path, [type,] column, run_id) lists the values in order, so a page
 *   can be read by walking it.
 * - `sys`: an expression over `runs r`. `notNull` when every run has a value; `walk` names the
 *   column of an index (project_id, column, id) that lists them in order.
 */
export type SortKey =
  | { kind: "field"; path: string; fieldType: SortableType; column: SQL; type: SortType; indexed: boolean }
  | { kind: "sys"; expr: SQL; type: SortType; notNull: boolean; walk: SQL | null };

type SortableType = "float" | "string" | "bool" | "datetime" | "floatSeries" | "stringSeries";

// The column of `fields` that holds a path's sortable value, by the field's type. Each has a
// partial index (see schema/fields.ts) on the rows where that column can be set.
const columnOfType: Record<SortableType, { column: string; type: SortType }> = {
  float: { column: "num", type: "float8" },
  string: { column: "str", type: "text" },
  bool: { column: "bool", type: "bool" },
  datetime: { column: "date", type: "timestamptz" },
  // The copy of `last` made at most a second after it (see schema/fields.ts).
  floatSeries: { column: "sort_last", type: "float8" },
  stringSeries: { column: "str", type: "text" },
};
const isSortable = (type: string): type is SortableType => Object.hasOwn(columnOfType, type);

// Runs with no value at all: every run sorts with the missing values, by id.
const none: SortKey = { kind: "sys", expr: sql`NULL::text`, type: "text", notNull: false, walk: null };

// System columns every run has, and those with an index (project_id, column, id).
const notNullSys = new Set(["sys/id", "sys/key", "sys/name", "sys/description", "sys/state", "sys/creation_time", "sys/modification_time", "sys/ping_time"]);
const walkableSys: Record<string, SQL> = { "sys/creation_time": sql`created_at`, "sys/key": sql`number` };

/**
 * A bare path sorts by the type most of the project's runs give it (a path almost always has
 * one): runs where it has another type, or none, sort with the missing values.
 */
export async function sortKeyOf(database: Database, projectId: string, operand: Operand): Promise<SortKey> {
  switch (operand.kind) {
    case "tags":
      throw new QueryError("runs cannot be sorted by tags", operand.pos);
    case "sys":
      return {
        kind: "sys", ...sysColumns[operand.name].sort, notNull: notNullSys.has(operand.name), walk: walkableSys[operand.name] ?? null,
      };
    case "summary":
      // Last values sort by their indexed copy; min and max, unindexed, by filtering first.
      return operand.fn === "last"
        ? { kind: "field", path: operand.path, fieldType: "floatSeries", column: sql.raw(`"sort_last"`), type: "float8", indexed: true }
        : { kind: "field", path: operand.path, fieldType: "floatSeries", column: sql.raw(`"${operand.fn}"`), type: "float8", indexed: false };
    case "field": {
      const type = await majorityType(database, projectId, operand.path);
      if (type === null || !isSortable(type)) return none;
      const target = columnOfType[type];
      return { kind: "field", path: operand.path, fieldType: type, column: sql.raw(`"${target.column}"`), type: target.type, indexed: true };
    }
  }
}

/**
 * The type most rows of `path` have in the project, ties to the first name. The distinct types
 * come from a skip scan of fields (project_id, path, type), a few index probes; only a path with
 * several types has its rows counted.
 */
async function majorityType(database: Database, projectId: string, path: string): Promise<string | null> {
  const types = await database.rows<{ type: string }>(sql`
    WITH RECURSIVE t(type) AS (
      (SELECT f.type FROM fields f WHERE f.project_id = ${projectId} AND f.path = ${path} ORDER BY f.type LIMIT 1)
      UNION ALL
      SELECT (SELECT f.type FROM fields f WHERE f.project_id = ${projectId} AND f.path = ${path} AND f.type > t.type ORDER BY f.type LIMIT 1)
      FROM t WHERE t.type IS NOT NULL
    )
    SELECT type FROM t WHERE type IS NOT NULL`);
  if (types.length <= 1) return types[0]?.type ?? null;
  const [row] = await database.rows<{ type: string }>(sql`
    SELECT type FROM fields WHERE project_id = ${projectId} AND path = ${path}
    GROUP BY type ORDER BY count(*) DESC, type LIMIT 1`);
  return row?.type ?? null;
}

/** The field type as a literal: partial indexes are chosen only for a constant `type = '…'`. */
export const fieldTypeLiteral = (key: Extract<SortKey, { kind: "field" }>) => sql.raw(`'${key.fieldType}'`);
