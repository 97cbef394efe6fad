import { describe, expect, test } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { QueryError } from "./ast";
import { compileFilter } from "./compile-filter";
import { parseOperand, parseQuery } from "./parse-query";

const errorOf = (fn: () => unknown): { message: string; position: number } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof QueryError) return { message: error.message, position: error.position };
    throw error;
  }
  throw new Error("expected a QueryError");
};
const position = (query: string) => errorOf(() => compileFilter(parseQuery(query))).position;

describe("parseQuery", () => {
  test("comparisons of each operand and literal kind", () => {
    expect(parseQuery("params/lr > 0.001")).toEqual({
      kind: "compare", operand: { kind: "field", path: "params/lr", pos: 0 }, op: ">", literal: { kind: "number", value: 0.001, pos: 12 },
    });
    expect(parseQuery('last(train/loss)<=-1e-3')).toMatchObject({ operand: { kind: "summary", fn: "last", path: "train/loss" }, op: "<=", literal: { value: -0.001 } });
    expect(parseQuery('MAX(acc) != 2')).toMatchObject({ operand: { kind: "summary", fn: "max" }, op: "!=" });
    expect(parseQuery("params/amp = TRUE")).toMatchObject({ literal: { kind: "bool", value: true } });
    expect(parseQuery('sys/state = "running"')).toMatchObject({ operand: { kind: "sys", name: "sys/state" }, literal: { kind: "string", value: "running" } });
    expect(parseQuery('params/opt="a \\"b\\" \\\\ c"')).toMatchObject({ literal: { value: 'a "b" \\ c' } });
    expect(parseQuery('tags contains "baseline"')).toEqual({
      kind: "contains", operand: { kind: "tags", pos: 0 }, literal: { kind: "string", value: "baseline", pos: 14 },
    });
    expect(parseQuery('notes matches "^a.*"')).toMatchObject({ kind: "matches" });
    expect(parseQuery("params/x exists")).toEqual({ kind: "exists", operand: { kind: "field", path: "params/x", pos: 0 } });
    expect(parseQuery("EXISTS params/x")).toEqual({ kind: "exists", operand: { kind: "field", path: "params/x", pos: 7 } });
    expect(parseQuery("1st/2.5_x-y >= .5")).toMatchObject({ operand: { path: "1st/2.5_x-y" }, literal: { value: 0.5 } });
  });

  test("not binds tighter than and, and tighter than or", () => {
    const q = parseQuery("a = 1 or not b = 2 and c = 3");
    expect(q).toMatchObject({
      kind: "or",
      items: [
        { kind: "compare", operand: { path: "a" } },
        { kind: "and", items: [{ kind: "not", item: { operand: { path: "b" } } }, { operand: { path: "c" } }] },
      ],
    });
    expect(parseQuery("(a = 1 or b = 2) AND c = 3")).toMatchObject({ kind: "and", items: [{ kind: "or" }, { kind: "compare" }] });
    expect(parseQuery("a=1 and b=2 and c=3")).toMatchObject({ kind: "and", items: [{}, {}, {}] });
    expect(parseQuery("not not a = 1")).toMatchObject({ kind: "not", item: { kind: "not", item: { kind: "compare" } } });
  });

  test("the brief's example parses", () => {
    const q = parseQuery('params/lr > 0.001 and (tags contains "baseline" or last(train/loss) < 0.1) and sys/state = "running"');
    expect(q).toMatchObject({ kind: "and", items: [{ kind: "compare" }, { kind: "or", items: [{ kind: "contains" }, { kind: "compare" }] }, { kind: "compare" }] });
  });

  test("errors point at the offending character", () => {
    expect(errorOf(() => parseQuery(""))).toEqual({ message: "query is empty", position: 0 });
    expect(errorOf(() => parseQuery("   ")).position).toBe(0);
    expect(errorOf(() => parseQuery('a = "open'))).toEqual({ message: "unterminated string", position: 4 });
    expect(errorOf(() => parseQuery('a = "x\\n"')).position).toBe(6);
    expect(errorOf(() => parseQuery("a = 1 b = 2"))).toMatchObject({ position: 6, message: expect.stringContaining("after the end") });
    expect(errorOf(() => parseQuery("a = 1)")).position).toBe(5);
    expect(errorOf(() => parseQuery("(a = 1"))).toMatchObject({ position: 6, message: expect.stringContaining('expected ")"') });
    expect(errorOf(() => parseQuery("avg(x) > 1"))).toMatchObject({ position: 0, message: expect.stringContaining('unknown function "avg"') });
    expect(errorOf(() => parseQuery("a > "))).toMatchObject({ position: 4, message: expect.stringContaining("the end of the query") });
    expect(errorOf(() => parseQuery("a ~ 1"))).toMatchObject({ position: 2, message: 'unexpected character "~"' });
    expect(errorOf(() => parseQuery("a ! 1")).position).toBe(2);
    expect(errorOf(() => parseQuery("a = abc")).position).toBe(4);
    expect(errorOf(() => parseQuery("a contains 3")).position).toBe(11);
    expect(errorOf(() => parseQuery("a = 1 and"))).toMatchObject({ position: 9 });
    expect(errorOf(() => parseQuery("params//x = 1"))).toMatchObject({ position: 0, message: expect.stringContaining("empty segment") });
    expect(errorOf(() => parseQuery("x = 1 and ../y = 2")).position).toBe(10);
    expect(errorOf(() => parseQuery("sys/nope = \"x\"")).message).toContain("unknown field sys/nope");
    expect(errorOf(() => parseQuery("and = 1")).position).toBe(0);
    expect(errorOf(() => parseQuery("a = 1e999")).message).toContain("out of range");
    expect(errorOf(() => parseQuery("last(sys/state) > 1")).position).toBe(5);
    expect(errorOf(() => parseQuery("last(x > 1")).position).toBe(7);
    expect(errorOf(() => parseQuery('a = "\u0000"')).position).toBe(5);
  });

  test("static type errors", () => {
    expect(position("sys/state > 3")).toBe(12);
    expect(position('tags = "x"')).toBe(0);
    expect(position('last(x) = "text"')).toBe(10);
    expect(position("a < true")).toBe(4);
    expect(position('sys/creation_time > "yesterday"')).toBe(20);
    expect(position('sys/creation_time contains "2026"')).toBe(0);
    expect(position('min(x) contains "1"')).toBe(0);
    expect(position(`a matches "${"x".repeat(1001)}"`)).toBe(10);
  });

  test("nesting depth and length are bounded", () => {
    expect(() => parseQuery(`${"(".repeat(63)}a = 1${")".repeat(63)}`)).not.toThrow();
    expect(errorOf(() => parseQuery(`${"(".repeat(65)}a = 1${")".repeat(65)}`))).toMatchObject({ position: 64, message: expect.stringContaining("nested") });
    expect(errorOf(() => parseQuery(`${"not ".repeat(2000)}a = 1`)).message).toMatch(/nested|longer/);
    expect(errorOf(() => parseQuery(`${"not ".repeat(70)}a = 1`))).toMatchObject({ position: 256 });
    const long = `a = "${"x".repeat(10_000)}"`;
    expect(errorOf(() => parseQuery(long))).toMatchObject({ position: 10_000, message: expect.stringContaining("longer than 10000") });
  });

  test("operands alone, for sort keys and columns", () => {
    expect(parseOperand("sys/creation_time")).toEqual({ kind: "sys", name: "sys/creation_time", pos: 0 });
    expect(parseOperand(" last(train/loss) ")).toEqual({ kind: "summary", fn: "last", path: "train/loss", pos: 1 });
    expect(parseOperand("tags")).toEqual({ kind: "tags", pos: 0 });
    expect(errorOf(() => parseOperand("a b")).position).toBe(2);
  });
});

describe("compileFilter", () => {
  const dialect = new PgDialect();
  test("every literal and path is a parameter, never SQL text", () => {
    const { sql: text, params } = dialect.sqlToQuery(
      compileFilter(parseQuery(`params/x = "'; DROP TABLE runs; --" or sys/name contains "\\"x" or tags contains "a' OR 1=1"`)).where,
    );
    expect(text).not.toContain("DROP");
    expect(text).not.toContain("OR 1=1");
    expect(text).not.toContain("params/x");
    expect(params).toEqual(expect.arrayContaining(["params/x", "'; DROP TABLE runs; --", '"x', "a' OR 1=1"]));
  });

  test("a string that reads as a date also compares datetime fields; times without a zone are UTC", () => {
    const { params } = dialect.sqlToQuery(compileFilter(parseQuery('when >= "2026-01-02T03:04"')).where);
    expect(params).toContain("2026-01-02T03:04:00.000Z");
    const plain = dialect.sqlToQuery(compileFilter(parseQuery('when >= "2026-02-30"')).where);
    expect(plain.sql).not.toContain("timestamptz");
  });
});
