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
const finite = (expr: SQL) => sql`(CASE WHEN ${expr} = 'NaN'::float8 OR abs(${expr}) = 'Infinity'::float8 THEN NULL ELSE ${expr} END)`;

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
  const aggregates = input.aggregates.map((column, i) => {
    const operand = queryError(`aggregates[${i}]`, () => parseOperand(column));
    if (operand.kind !== "field" && operand.kind !== "summary") throw invalid("aggregates are over numeric columns: a float path or last/min/max(series)", `aggregates[${i}]`);
    return { column, operand };
  });

  const types = await pathTypes(ctx, project.id, [by, ...aggregates.map((a) => a.operand)]);
  const key = groupKey(by, types);
  const joins = aggregates.map((a, i) => aggregateJoin(a.operand, i, types));
  const inner = sql.join([
    sql`SELECT ${key.select}`,
    ...joins.map((j, i) => sql`, ${finite(j.value)} AS ${sql.raw(`a${i}`)}`),
    sql` FROM runs r ${key.join}`,
    ...joins.map((j) => j.join),
    sql` WHERE r.project_id = ${project.id}`,
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
type Types = Map<string, string[]>;
const ATOMS = ["float", "string", "bool", "datetime"];

/**
 * The types each path has in the project: one skip-scan probe per (path, type) of the index
 * (project_id, path, type). Knowing a path has one type lets its join name that type, so the
 * partial value indexes answer it (index-only) instead of the table.
 */
async function pathTypes(ctx: Ctx, projectId: string, operands: Operand[]): Promise<Types> {
  const paths = [...new Set(operands.flatMap((o) => (o.kind === "field" || o.kind === "summary" ? [o.path] : [])))];
  const out: Types = new Map(paths.map((p) => [p, []]));
  for (const path of paths) {
    const rows = await ctx.database.rows<{ type: string }>(sql`
      WITH RECURSIVE t AS (
        (SELECT f.type FROM fields f WHERE f.project_id = ${projectId} AND f.path = ${path} ORDER BY f.type LIMIT 1)
        UNION ALL
        SELECT n.type FROM t CROSS JOIN LATERAL (
          SELECT f.type FROM fields f WHERE f.project_id = ${projectId} AND f.path = ${path} AND f.type > t.type ORDER BY f.type LIMIT 1) n
      ) SELECT type FROM t`);
    out.set(path, rows.map((r) => r.type));
  }
  return out;
}

function groupKey(by: Operand, types: Types): Key {
  switch (by.kind) {
    case "field": {
      const atoms = (types.get(by.path) ?? []).filter((t) => ATOMS.includes(t));
      const only = atoms.length === 1 ? atoms[0] : null;
      // One type: only its value column is read, which its partial index holds.
      const cols: Record<string, SQL> = {
        float: sql`gk.num, NULL::text AS str, NULL::bool AS bool, NULL::timestamptz AS date`,
        string: sql`NULL::float8 AS num, gk.str, NULL::bool AS bool, NULL::timestamptz AS date`,
        bool: sql`NULL::float8 AS num, NULL::text AS str, gk.bool, NULL::timestamptz AS date`,
        datetime: sql`NULL::float8 AS num, NULL::text AS str, NULL::bool AS bool, gk.date`,
      };
      const typeTest = only ? sql`gk.type = ${only}` : sql`gk.type IN ('float', 'string', 'bool', 'datetime')`;
      const select = only
        ? sql`CASE WHEN gk.run_id IS NULL THEN NULL ELSE ${only}::text END AS type, ${cols[only]}`
        : sql`gk.type, gk.num, gk.str, gk.bool, gk.date`;
      return {
        select,
        join: sql`LEFT JOIN fields gk ON gk.run_id = r.id AND gk.project_id = r.project_id AND gk.path = ${by.path} AND ${typeTest}${only === "string" ? sql` AND gk.str IS NOT NULL` : sql``}`,
      };
    }
    case "sys": {
      const col = sysColumns[by.name];
      if (col.kind !== "text") throw invalid(`runs are grouped by atoms and sys/ text columns; ${by.name} is a time`, "by");
      return { select: sql`CASE WHEN ${col.filter} IS NULL THEN NULL ELSE 'string' END AS type, NULL::float8 AS num, ${col.filter} AS str, NULL::bool AS bool, NULL::timestamptz AS date`, join: sql`` };
    }
    default:
      throw invalid("runs are grouped by an atom path such as params/optimizer, or a sys/ text column", "by");
  }
}

/** A LEFT JOIN of one aggregate's field row (at most one per run: fields (run_id, path) is unique). */
function aggregateJoin(operand: Operand, i: number, types: Types): { join: SQL; value: SQL } {
  const a = sql.raw(`a${i}f`);
  if (operand.kind === "summary") {
    return {
      join: sql` LEFT JOIN fields ${a} ON ${a}.run_id = r.id AND ${a}.project_id = r.project_id AND ${a}.path = ${operand.path} AND ${a}.type = 'floatSeries'`,
      value: sql.raw(`a${i}f."${operand.fn}"`),
    };
  }
  if (operand.kind !== "field") throw invalid("aggregates are over numeric columns", `aggregates[${i}]`);
  const t = types.get(operand.path) ?? [];
  // A bare path aggregates a float atom, or a float series' last value.
  if (t.includes("float") && !t.includes("floatSeries")) {
    return { join: sql` LEFT JOIN fields ${a} ON ${a}.run_id = r.id AND ${a}.project_id = r.project_id AND ${a}.path = ${operand.path} AND ${a}.type = 'float'`, value: sql`${a}.num` };
  }
  return {
    join: sql` LEFT JOIN fields ${a} ON ${a}.run_id = r.id AND ${a}.project_id = r.project_id AND ${a}.path = ${operand.path} AND ${a}.type IN ('float', 'floatSeries')`,
    value: sql`CASE ${a}.type WHEN 'float' THEN ${a}.num ELSE ${a}."last" END`,
  };
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
