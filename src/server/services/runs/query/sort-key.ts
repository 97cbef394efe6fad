import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { QueryError, type Operand } from "./ast";
import { sysColumns, type SortType } from "./sys-columns";

/** One value per run to order by (NULL: the run has none), and the join that provides it. */
export type SortKey = { expr: SQL; type: SortType; join: SQL };

const none: SortKey = { expr: sql`NULL::text`, type: "text", join: sql`` };

// The column of `fields` that holds a path's sortable value, by the field's type.
const columnOfType: Record<string, { column: string; type: SortType } | undefined> = {
  float: { column: "num", type: "float8" },
  string: { column: "str", type: "text" },
  bool: { column: "bool", type: "bool" },
  datetime: { column: "date", type: "timestamptz" },
  floatSeries: { column: "last", type: "float8" },
  stringSeries: { column: "str", type: "text" },
};

/**
 * A bare path sorts by the type most of the project's runs give it (a path almost always has
 * one): runs where it has another type, or none, sort with the missing values.
 */
export async function sortKeyOf(database: Database, projectId: string, operand: Operand): Promise<SortKey> {
  switch (operand.kind) {
    case "tags":
      throw new QueryError("runs cannot be sorted by tags", operand.pos);
    case "sys":
      return { ...sysColumns[operand.name].sort, join: sql`` };
    case "summary":
      return {
        expr: sql.raw(`sf."${operand.fn}"`),
        type: "float8",
        join: sql`LEFT JOIN fields sf ON sf.run_id = r.id AND sf.path = ${operand.path} AND sf.type = 'floatSeries'`,
      };
    case "field": {
      const [row] = await database.rows<{ type: string }>(sql`
        SELECT type FROM fields WHERE project_id = ${projectId} AND path = ${operand.path}
        GROUP BY type ORDER BY count(*) DESC, type LIMIT 1`);
      const target = row ? columnOfType[row.type] : undefined;
      if (!target) return none;
      return {
        expr: sql.raw(`sf."${target.column}"`),
        type: target.type,
        join: sql`LEFT JOIN fields sf ON sf.run_id = r.id AND sf.path = ${operand.path} AND sf.type = ${row.type}`,
      };
    }
  }
}

/** ORDER BY with missing values last in either direction, ties broken by id. */
export function orderBy(key: SortKey, direction: "asc" | "desc"): SQL {
  const dir = sql.raw(direction === "asc" ? "ASC" : "DESC");
  return sql`ORDER BY (${key.expr} IS NULL), ${key.expr} ${dir}, r.id ${dir}`;
}

/** Rows strictly after (value, id) in the order orderBy gives. */
export function after(key: SortKey, direction: "asc" | "desc", cursor: { value: string | null; id: string }): SQL {
  const cmp = sql.raw(direction === "asc" ? ">" : "<");
  const id = sql`${cursor.id}::uuid`;
  if (cursor.value === null) return sql`(${key.expr} IS NULL AND r.id ${cmp} ${id})`;
  // The type name comes from SortType, a closed set; the value is a parameter.
  const value = sql`${cursor.value}::${sql.raw(key.type)}`;
  return sql`(${key.expr} IS NULL OR ${key.expr} ${cmp} ${value} OR (${key.expr} = ${value} AND r.id ${cmp} ${id}))`;
}
