import { describe, expect, test } from "vitest";
import { defaultView, SYS_COLUMNS } from "@/contracts/run-table";
import { sysNames } from "@/server/services/runs/query/ast";
import { andFilter, queryErrorAt, suggest } from "./suggest";
import { hasViewParams, viewFromLink, viewFromParams, viewToParams } from "./view-url";

const fields = [
  { path: "params/lr", types: ["float"] },
  { path: "params/opt", types: ["string"] },
  { path: "train/loss", types: ["floatSeries"] },
];
const labels = (text: string, caret = text.length) => suggest(text, caret, fields).items.map((s) => s.label);

describe("filter completion", () => {
  test("operands at the start, after and/or/not and (", () => {
    expect(labels("par")).toEqual(["params/lr", "params/opt"]);
    expect(labels("params/lr > 1 and zz")).toEqual([]);
    expect(labels("params/lr > 1 and los")).toEqual(["last(train/loss)", "min(train/loss)", "max(train/loss)"]);
    expect(labels("(sys/st")).toEqual(["sys/state"]);
    expect(labels("not ta")).toEqual(["tags", "sys/state"]);
  });
  test("operators after an operand, joiners after a literal, series inside last(", () => {
    expect(labels("params/lr ")).toEqual(["=", "!=", "<", "<=", ">", ">=", "contains", "matches", "exists"]);
    expect(labels("params/lr co")).toEqual(["contains"]);
    // After an operator comes a value: nothing to offer but true/false after = and !=.
    expect(labels("params/lr <")).toEqual([]);
    expect(labels('params/opt = "adam" ')).toEqual(["and", "or"]);
    expect(labels("params/lr > 0.1 o")).toEqual(["or"]);
    expect(labels("last(")).toEqual(["train/loss"]);
    expect(labels("params/opt = ")).toEqual(["true", "false"]);
    expect(labels('params/opt contains ')).toEqual([]);
  });
  test("the replaced range is the word around the caret", () => {
    expect(suggest("params/l > 1", 8, fields)).toMatchObject({ from: 0, to: 8 });
  });
});

test("query errors are read from the server's message", () => {
  expect(queryErrorAt("query: unterminated string at position 12")).toEqual({ message: "unterminated string", position: 12 });
  expect(queryErrorAt("sort.column: unknown at position 3")).toBeNull();
  expect(queryErrorAt(undefined)).toBeNull();
  expect(andFilter("", "a = 1")).toBe("a = 1");
  expect(andFilter("x > 1 or y > 2", "a = 1")).toBe("(x > 1 or y > 2) and a = 1");
});

describe("view in the URL", () => {
  test("round trip of every part, and only non-default parts written", () => {
    const view = {
      ...defaultView(), columns: ["params/lr", "last(train/loss)"], filter: 'params/opt = "a,b"', sort: { column: "last(train/loss)", direction: "desc" as const },
      widths: { "last(train/loss)": 180 }, groupBy: "params/opt", aggregates: ["params/lr"], chart: { panels: [1, 2] },
    };
    const params = viewToParams(view, "v1");
    expect(params.get("sort")).toBe("last(train/loss):desc");
    expect(params.get("w")).toBe("last(train/loss):180");
    expect(viewFromParams(params)).toEqual(view);
    expect(viewToParams(defaultView()).toString()).toBe("");
    expect(hasViewParams(new URLSearchParams("view=x"))).toBe(false);
    expect(hasViewParams(new URLSearchParams("q=a"))).toBe(true);
  });
  test("a malformed part falls back to its default and keeps the rest", () => {
    const v = viewFromParams(new URLSearchParams("q=a%20%3E%201&w=x:abc,y:5000&chart={bad"));
    expect(v.filter).toBe("a > 1");
    expect(v.widths).toEqual({});
    expect(v.chart).toBeNull();
    expect(viewFromParams(new URLSearchParams("sort=params/lr")).sort).toEqual({ column: "params/lr", direction: "asc" });
  });
  test("older share links name the filter `query`", () => {
    expect(viewFromLink({ query: "a > 1", sort: { column: "a" } })).toMatchObject({ filter: "a > 1", sort: { column: "a", direction: "asc" } });
    expect(viewFromLink(null)).toEqual(defaultView());
  });
});

test("the table offers exactly the query language's sys columns", () => {
  expect([...SYS_COLUMNS]).toEqual([...sysNames]);
});
