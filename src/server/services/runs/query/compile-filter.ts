import { sql, type SQL } from "drizzle-orm";
import { MAX_REGEX_LENGTH, QueryError, type CompareOp, type Condition, type Literal, type Operand } from "./ast";
import { isoDate } from "./iso-date";
import { sysColumns } from "./sys-columns";

// Operators reach SQL only through this table; every value is a bound parameter.
const OPS: Record<CompareOp, SQL> = {
  "=": sql.raw("="), "!=": sql.raw("<>"), "<": sql.raw("<"), "<=": sql.raw("<="), ">": sql.raw(">"), ">=": sql.raw(">="),
};
const SUMMARY = { last: sql.raw(`f."last"`), min: sql.raw(`f."min"`), max: sql.raw(`f."max"`) };

/**
 * A filter in two forms with the same meaning:
 * - `where` tests fields with EXISTS, which the planner may turn into joins: for reading the
 *   matching runs first, when the filter is what narrows them;
 * - `probe` tests each field with a scalar subquery on fields (run_id, path), evaluated once
 *   per candidate run: for runs read in sort order from an index, where joining every match of
 *   each condition would cost more than looking at the first few hundred runs.
 */
export type CompiledFilter = { where: SQL; probe: SQL; regexes: Extract<Literal, { kind: "string" }>[] };
type Mode = "where" | "probe";

/**
 * A WHERE condition over `runs r`. Every leaf is true or false, never NULL, so `not` of a
 * comparison on a missing field is true.
 */
export function compileFilter(condition: Condition): CompiledFilter {
  const regexes: CompiledFilter["regexes"] = [];
  const walk = (c: Condition, mode: Mode): SQL => {
    switch (c.kind) {
      case "and":
      case "or":
        return sql`(${sql.join(c.items.map((item) => walk(item, mode)), c.kind === "and" ? sql` AND ` : sql` OR `)})`;
      case "not":
        return sql`(NOT ${walk(c.item, mode)})`;
      case "compare":
        return compare(mode, c.operand, c.op, c.literal);
      case "contains":
        return textTest(mode, c.operand, "contains", c.literal.value);
      case "matches":
        if (c.literal.value.length > MAX_REGEX_LENGTH) throw new QueryError(`a regular expression is at most ${MAX_REGEX_LENGTH} characters`, c.literal.pos);
        if (mode === "where") regexes.push(c.literal);
        return textTest(mode, c.operand, "matches", c.literal.value);
      case "exists":
        return exists(mode, c.operand);
    }
  };
  return { where: walk(condition, "where"), probe: walk(condition, "probe"), regexes };
}

/** `test` over the run's `fields f` row of `path` (at most one: fields (run_id, path) is unique). */
const field = (mode: Mode, path: string, test: SQL) =>
  mode === "where"
    ? sql`EXISTS (SELECT 1 FROM fields f WHERE f.run_id = r.id AND f.project_id = r.project_id AND f.path = ${path} AND ${test})`
    : sql`COALESCE((SELECT ${test} FROM fields f WHERE f.run_id = r.id AND f.project_id = r.project_id AND f.path = ${path}), false)`;

/** Whether one of the run's tags `t` passes `test`. */
const tag = (mode: Mode, test: SQL) =>
  mode === "where"
    ? sql`EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.project_id = r.project_id AND ${test})`
    : sql`COALESCE((SELECT true FROM run_tags t WHERE t.run_id = r.id AND t.project_id = r.project_id AND ${test} LIMIT 1), false)`;

function compare(mode: Mode, operand: Operand, op: CompareOp, literal: Literal): SQL {
  const o = OPS[op];
  switch (operand.kind) {
    case "tags":
      throw new QueryError("tags can only be tested with contains, matches or exists", operand.pos);
    case "summary":
      if (literal.kind !== "number") throw new QueryError(`${operand.fn}(${operand.path}) is a number; compare it with a number`, literal.pos);
      return field(mode, operand.path, sql`f.type = 'floatSeries' AND ${SUMMARY[operand.fn]} ${o} ${literal.value}::float8`);
    case "sys": {
      const col = sysColumns[operand.name];
      if (literal.kind !== "string") throw new QueryError(`${operand.name} is ${col.kind === "text" ? "text" : "a time"}; compare it with a double-quoted string`, literal.pos);
      if (col.kind === "text") return sql`COALESCE(${col.filter} ${o} ${literal.value}::text, false)`;
      return sql`COALESCE(${col.filter} ${o} ${dateOf(literal)}::timestamptz, false)`;
    }
    case "field":
      switch (literal.kind) {
        case "number":
          return field(mode, operand.path, sql`f.type = 'float' AND f.num ${o} ${literal.value}::float8`);
        case "bool":
          if (op !== "=" && op !== "!=") throw new QueryError("true and false can only be compared with = or !=", literal.pos);
          return field(mode, operand.path, sql`f.type = 'bool' AND f.bool ${o} ${literal.value}::bool`);
        case "string": {
          // A string that reads as an ISO date also matches datetime fields.
          const date = isoDate(literal.value);
          const asText = sql`(f.type = 'string' AND f.str ${o} ${literal.value}::text)`;
          return field(mode, operand.path, date === null ? asText : sql`(${asText} OR (f.type = 'datetime' AND f.date ${o} ${date}::timestamptz))`);
        }
      }
  }
}

function textTest(mode: Mode, operand: Operand, how: "contains" | "matches", value: string): SQL {
  const test = (expr: SQL) => (how === "contains" ? sql`strpos(${expr}, ${value}::text) > 0` : sql`${expr} ~ ${value}::text`);
  switch (operand.kind) {
    case "tags":
      return tag(mode, how === "contains" ? sql`t.tag = ${value}::text` : test(sql`t.tag`));
    case "field":
      return field(mode, operand.path, sql`f.type = 'string' AND ${test(sql`f.str`)}`);
    case "sys": {
      const col = sysColumns[operand.name];
      if (col.kind !== "text") throw new QueryError(`${operand.name} is a time; ${how} applies to text`, operand.pos);
      return sql`COALESCE(${test(col.filter)}, false)`;
    }
    case "summary":
      throw new QueryError(`${operand.fn}(${operand.path}) is a number; ${how} applies to text`, operand.pos);
  }
}

function exists(mode: Mode, operand: Operand): SQL {
  switch (operand.kind) {
    case "tags": return tag(mode, sql`true`);
    case "field": return field(mode, operand.path, sql`true`);
    case "summary": return field(mode, operand.path, sql`f.type = 'floatSeries' AND ${SUMMARY[operand.fn]} IS NOT NULL`);
    case "sys": return sql`(${sysColumns[operand.name].filter} IS NOT NULL)`;
  }
}

function dateOf(literal: Extract<Literal, { kind: "string" }>): string {
  const date = isoDate(literal.value);
  if (date === null) throw new QueryError("expected an ISO 8601 date such as \"2026-01-31\" or \"2026-01-31T12:00:00Z\"", literal.pos);
  return date;
}
