import { describe, expect, test } from "vitest";
import { OpsError, parseOpsBatch } from "./ops";
import { pathProblem } from "./paths";

const fails = (body: unknown) => {
  try {
    parseOpsBatch(body);
  } catch (e) {
    expect(e).toBeInstanceOf(OpsError);
    return (e as OpsError).message;
  }
  throw new Error("expected an error");
};

describe("paths", () => {
  test.each(["a", "params/lr", "train/loss_1", "a.b-c/D_9", "x".repeat(128)])("accepts %s", (p) => expect(pathProblem(p)).toBeNull());
  test.each([
    ["", "empty"], ["/a", "empty segment"], ["a/", "empty segment"], ["a b", "segment"], ["ü", "segment"],
    ["x".repeat(129), "128"], ["sys/id", "sys/"], ["a/../b", "not allowed"], [`${"abcd/".repeat(205)}x`, "1024"],
  ])("rejects %j", (p, why) => expect(pathProblem(p)).toContain(why));
  test("sys/ allowed for the server", () => expect(pathProblem("sys/id", { allowSys: true })).toBeNull());
  test("non-strings", () => expect(pathProblem(5)).toContain("string"));
});

describe("parseOpsBatch", () => {
  test("parses every op and counts points", () => {
    const b = parseOpsBatch({ batchId: "b", ops: [
      { assign: "a", value: 1 }, { assign: "s", value: "x" }, { assign: "f", value: true }, { assign: "n", value: null },
      { assign: "d", value: 0, type: "datetime" },
      { append: "m", points: [{ value: 1 }, { step: 5, value: "NaN", ts: 12.6 }] },
      { append: "t", points: [{ value: "line" }] },
      { addTags: ["x"] }, { removeTags: ["y"] },
    ] });
    expect(b.pointCount).toBe(3);
    expect(b.ops.map((o) => o.kind)).toEqual(["assign", "assign", "assign", "assign", "assign", "append", "append", "addTags", "removeTags"]);
    expect(b.ops[4]).toMatchObject({ atom: "datetime", value: new Date(0) });
    expect(b.ops[5]).toMatchObject({ steps: [null, 5], ts: [null, 13], hasNumber: true });
    expect(b.ops[6]).toMatchObject({ hasNumber: false });
  });

  test.each([
    [null, "body"], [{ batchId: "", ops: [] }, "batchId"], [{ batchId: "b" }, "ops"], [{ batchId: "b", ops: [], x: 1 }, 'unknown key "x"'],
    [{ batchId: "b", ops: [5] }, "ops[0]: must be an object"],
    [{ batchId: "b", ops: [{ delete: "a" }] }, "ops[0]: unknown op"],
    [{ batchId: "b", ops: [{ assign: "a" }] }, "ops[0].value: is missing"],
    [{ batchId: "b", ops: [{ assign: "a", value: 1, extra: 2 }] }, 'unknown key "extra"'],
    [{ batchId: "b", ops: [{ assign: "a", value: "not a date", type: "datetime" }] }, "ops[0].value"],
    [{ batchId: "b", ops: [{ append: "m", points: [{ value: 1 }, {}] }] }, "ops[0].points[1].value: is missing"],
    [{ batchId: "b", ops: [{ append: "m", points: [{ value: 1, step: null }, { value: 2, step: "3" }] }] }, "ops[0].points[1].step"],
    [{ batchId: "b", ops: [{ append: "m", points: [{ value: 1, ts: "now" }] }] }, "ops[0].points[0].ts"],
    [{ batchId: "b", ops: [{ append: "m", type: "floatSeries", points: [{ value: "x" }] }] }, "ops[0].points[0].value"],
    [{ batchId: "b", ops: [{ append: "m", type: "stringSeries", points: [{ value: 1 }] }] }, "ops[0].points[0].value"],
    [{ batchId: "b", ops: [{ append: "m", type: "ints", points: [{ value: 1 }] }] }, "ops[0].type"],
    [{ batchId: "b", ops: [{ addTags: ["ok", 3] }] }, "ops[0].addTags[1]"],
    [{ batchId: "b", ops: [{ addTags: ["a"], removeTags: ["b"] }] }, "ops[0]"],
  ])("rejects %j", (body, where) => expect(fails(body)).toContain(where));

  test("more than 100,000 points is too large", () => {
    const points = Array.from({ length: 60_000 }, () => ({ value: 1 }));
    try {
      parseOpsBatch({ batchId: "b", ops: [{ append: "a", points }, { append: "b", points }] });
      throw new Error("expected an error");
    } catch (e) {
      expect((e as OpsError).tooLarge).toBe(true);
      expect((e as OpsError).message).toContain("ops[1].points");
    }
  });
});
