import { sql, type SQL } from "drizzle-orm";
import { RunTableGroupsInput, type GroupAggregate, type RunTableGroup, type RunTableGroups } from "@/contracts/run-table";
import { authorize } from "@/server/authz/authorize";
import { iso } from "@/server/db/values";
import { invalid } from "@/server/errors";
import { jsonNumberOrNull } from "@/server/realtime/json-number";
import type { Ctx } from "../../context";
import { parseInput } from "../../parse-input";
import { findProject } from "../../projects/find-project";
import { QueryError, type Operand } from "../query/ast";
import { compileFilter } from "../query/compile-filter";
import { parseOperand, parseQuery } from "../query/parse-query";
import { sysColumns } from "../query/sys-columns";

type GroupRow = {
  type: string | null; num: number | null; str: string | null; bool: boolean | null; date: Date | string | null;
  n: number | string; total: number | string; groups: number | string;
} & Record<string, unknown>;

// A numeric value a run contributes to an aggregate; NaN and infinities are left out of it.
const finite = (expr: SQL) => sql`(SELECT v FROM (SELECT ${expr} AS v) x WHERE v <> 'NaN'::float8 AND abs(v) <> 'Infinity'::float8)`;

/**
 * The matching runs of a project grouped by the value of one atom path (or sys/ text column):
 * each value with its run count and the min/mean/max of chosen numeric columns, largest
 * groups first. One aggregate pass over the matching runs; the group key is read through the
 * unique (run_id, path) index, each aggregate likewise.
 */
export async function groupRuns(ctx: Ctx, raw: unknown): Promise<RunTableGroups> {
  const input = parseInput(RunTableGroupsInput, raw);
  const project = await findProject(ctx.database, input.workspace, input.project);
  await authorize(ctx.database, ctx.actor, "project.read", project.id);

  const filter = input.query === undefined || input.query.trim() === "" ? null : queryError("query", () => compileFilter(parseQuery(input.query!)));
  const by = queryError("by", () => parseOperand(input.by));
  const key = groupKey(by);
  const aggregates = input.aggregates.map((column, i) => ({ column, expr: aggregateValue(queryError(`aggregates[${i}]`, () => parseOperand(column)), `aggregates[${i}]`) }));

  const inner = sql.join([
    sql`SELECT ${key.select}`,
    ...aggregates.map((a, i) => sql`, ${finite(a.expr)} AS ${sql.raw(`a${i}`)}`),
    sql` FROM runs r ${key.join} WHERE r.project_id = ${project.id}`,
    filter ? sql` AND ${filter.where}` : sql``,
  ]);
  const outer = sql.join([
    sql`SELECT type, num, str, bool, date, count(*) AS n, sum(count(*)) OVER () AS total, count(*) OVER () AS groups`,
    ...aggregates.map((_, i) => sql.raw(`, min(a${i}) AS min${i}, avg(a${i}) AS mean${i}, max(a${i}) AS max${i}, count(a${i}) AS n${i}`)),
    sql` FROM (${inner}) g GROUP BY type, num, str, bool, date
      ORDER BY n DESC, type NULLS LAST, num, str, bool, date LIMIT ${input.limit}`,
  ]);

  let rows: GroupRow[];
  try {
    rows = await ctx.database.rows<GroupRow>(outer);
  } catch (error) {
    // PostgreSQL's regex dialect is checked by PostgreSQL: a bad pattern is the query's fault.
    const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
    if ((e.code ?? e.cause?.code) === "2201B") throw invalid(`invalid regular expression (${e.cause?.message ?? e.message})`, "query");
    throw error;
  }

  const groups: RunTableGroup[] = rows.map((row) => {
    const value = groupValue(row);
    const aggs: Record<string, GroupAggregate> = {};
    aggregates.forEach((a, i) => {
      aggs[a.column] = {
        min: num(row[`min${i}`]), mean: num(row[`mean${i}`]), max: num(row[`max${i}`]), count: Number(row[`n${i}`] ?? 0),
      };
    });
    return { value, type: row.type, count: Number(row.n), filter: groupFilter(input.by, by, row.type, value), aggregates: aggs };
  });
  const total = rows.length ? Number(rows[0].total) : 0;
  return { groups, total, truncated: rows.length ? Number(rows[0].groups) > rows.length : false };
}

type Key = { select: SQL; join: SQL };

function groupKey(by: Operand): Key {
  switch (by.kind) {
    case "field":
      return {
        select: sql`gk.type, gk.num, gk.str, gk.bool, gk.date`,
        join: sql`LEFT JOIN fields gk ON gk.run_id = r.id AND gk.project_id = r.project_id AND gk.path = ${by.path}
          AND gk.type IN ('float', 'string', 'bool', 'datetime')`,
      };
    case "sys": {
      const col = sysColumns[by.name];
      if (col.kind !== "text") throw invalid(`runs are grouped by atoms and sys/ text columns; ${by.name} is a time`, "by");
      return { select: sql`CASE WHEN ${col.filter} IS NULL THEN NULL ELSE 'string' END AS type, NULL::float8 AS num, ${col.filter} AS str, NULL::bool AS bool, NULL::timestamptz AS date`, join: sql`` };
    }
    default:
      throw invalid("runs are grouped by an atom path such as params/optimizer, or a sys/ text column", "by");
  }
}

function aggregateValue(operand: Operand, where: string): SQL {
  const one = (path: string, test: SQL, column: SQL) =>
    sql`(SELECT ${column} FROM fields f WHERE f.run_id = r.id AND f.project_id = r.project_id AND f.path = ${path} AND ${test})`;
  switch (operand.kind) {
    // A bare path aggregates a float atom, or a float series' last value.
    case "field": return one(operand.path, sql`f.type IN ('float', 'floatSeries')`, sql`CASE f.type WHEN 'float' THEN f.num ELSE f."last" END`);
    case "summary": return one(operand.path, sql`f.type = 'floatSeries'`, sql.raw(`f."${operand.fn}"`));
    default: throw invalid("aggregates are over numeric columns: a float path or last/min/max(series)", where);
  }
}

function groupValue(row: GroupRow): RunTableGroup["value"] {
  switch (row.type) {
    case "float": return jsonNumberOrNull(row.num === null ? null : Number(row.num));
    case "string": return row.str;
    case "bool": return row.bool;
    case "datetime": return iso(row.date);
    default: return null;
  }
}

/** The query-language condition that selects exactly the runs of one group. */
function groupFilter(text: string, by: Operand, type: string | null, value: RunTableGroup["value"]): string {
  const operand = by.kind === "sys" ? by.name : text.trim();
  if (type === null || value === null) return `not ${operand} exists`;
  if (typeof value === "boolean") return `${operand} = ${value}`;
  if (type === "float") return `${operand} = ${value}`;
  return `${operand} = ${quote(String(value))}`;
}

export const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const num = (v: unknown) => (v === null || v === undefined ? null : jsonNumberOrNull(Number(v)));

/** Runs `fn`, turning a QueryError into a 400 that names the field and the position. */
function queryError<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QueryError) throw invalid(`${error.message} at position ${error.position}`, where);
    throw error;
  }
}
