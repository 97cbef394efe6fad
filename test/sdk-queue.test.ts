import { describe, expect, it } from "vitest";
import { makeBatch, splitBatch } from "../src/sdk/batch";
import { resolveConfig } from "../src/sdk/config";
import { PathRegistry } from "../src/sdk/paths";
import { OpQueue } from "../src/sdk/queue";

type Op = Record<string, unknown> & { points?: { step?: number; value: unknown; ts: number }[] };

const queue = (fullAt = 1_000_000) => new OpQueue(new PathRegistry(), fullAt);

/** Takes one request's worth and parses it as the server would. */
function takeOps(q: OpQueue, maxItems = 1_000_000, maxChars = 1 << 30): Op[] {
  const taken = q.take(maxItems, maxChars);
  if (taken === null) return [];
  return (JSON.parse(makeBatch("b", taken.ops, taken.firstSeq).body) as { ops: Op[] }).ops;
}

describe("OpQueue coalescing", () => {
  it("makes one append op per series for interleaved appends, points in call order", () => {
    const q = queue();
    for (let i = 0; i < 1000; i++) {
      q.append("train/loss", 1 / (i + 1), { step: i });
      q.append("train/acc", i / 1000, { step: i });
    }
    const ops = takeOps(q);
    expect(ops.map((o) => o.append)).toEqual(["train/loss", "train/acc"]);
    expect(ops[0].points!.map((p) => p.step)).toEqual([...Array(1000).keys()]);
    expect(ops[1].points![999].value).toBe(0.999);
    expect(q.size).toBe(0);
  });

  it("keeps other operations in call order, and appends after an assign or tag op in their own series order", () => {
    const q = queue();
    q.tags("addTags", ["a"]);
    q.append("m", 1);
    q.assign("params/lr", 0.1);
    q.append("m", 2);
    q.tags("removeTags", ["a"]);
    q.append("m", 3);
    const ops = takeOps(q);
    expect(ops.map((o) => Object.keys(o)[0])).toEqual(["addTags", "append", "assign", "removeTags"]);
    expect(ops[1].points!.map((p) => p.value)).toEqual([1, 2, 3]);
  });

  it("starts a new chunk after flush() sealed the queue, so a flush waits only for what came before", () => {
    const q = queue();
    q.append("m", 1);
    q.seal();
    const target = q.lastSeq;
    q.append("m", 2);
    const first = q.take(1, 1 << 30)!;
    expect(first.firstSeq).toBeLessThanOrEqual(target);
    expect(q.headSeq).toBeGreaterThan(target);
  });

  it("omits the step when none is given, sends ts, and encodes NaN and infinities as strings on a floatSeries op", () => {
    const q = queue();
    q.append("m", NaN, { ts: 1000 });
    q.append("m", Infinity, { ts: new Date(2000) });
    q.append("m", -Infinity);
    q.append("m", -0.5);
    const [op] = takeOps(q);
    expect(op.type).toBe("floatSeries");
    expect(op.points!.map((p) => p.value)).toEqual(["NaN", "Infinity", "-Infinity", -0.5]);
    expect(op.points![0]).toEqual({ value: "NaN", ts: 1000 });
    expect(op.points![1].ts).toBe(2000);
    expect(typeof op.points![2].ts).toBe("number");
  });

  it("sends string series with their type, escaped", () => {
    const q = queue();
    q.append("log", 'said "hi"\n', { step: 1 });
    expect(takeOps(q)).toEqual([
      { append: "log", type: "stringSeries", points: [{ step: 1, value: 'said "hi"\n', ts: expect.any(Number) }] },
    ]);
  });

  it("sends Dates as datetime assigns", () => {
    const q = queue();
    q.assign("sys-like/started", new Date(Date.UTC(2025, 0, 2)));
    q.assign("flag", true);
    q.assign("nothing", null);
    expect(takeOps(q)).toEqual([
      { assign: "sys-like/started", value: "2025-01-02T00:00:00.000Z", type: "datetime" },
      { assign: "flag", value: true },
      { assign: "nothing", value: null },
    ]);
  });
});

describe("OpQueue size bounds", () => {
  it("cuts requests at maxItems and keeps the remainder of a series in front, in order", () => {
    const q = queue();
    for (let i = 0; i < 3500; i++) q.append("m", i, { step: i });
    q.assign("after", 1);
    const steps: number[] = [];
    const sizes: number[] = [];
    for (let ops = takeOps(q, 1000); ops.length > 0; ops = takeOps(q, 1000)) {
      let n = 0;
      for (const op of ops) {
        if (op.points) steps.push(...op.points.map((p) => p.step!));
        n += op.points ? op.points.length : 1;
      }
      sizes.push(n);
    }
    expect(sizes).toEqual([1000, 1000, 1000, 501]);
    expect(steps).toEqual([...Array(3500).keys()]);
    expect(q.size).toBe(0);
  });

  it("cuts requests by JSON size, but always takes at least one point", () => {
    const q = queue();
    const big = "x".repeat(10_000);
    for (let i = 0; i < 10; i++) q.append("text", big);
    const taken = q.take(1000, 25_000)!;
    expect(taken.items).toBe(2);
    const one = queue();
    one.append("text", "y".repeat(50_000));
    expect(one.take(1000, 1000)!.items).toBe(1);
  });

  it("calls onFirst when data arrives in an empty queue and onFull at a request's worth", () => {
    const q = queue(3);
    let first = 0;
    let full = 0;
    q.onFirst = () => first++;
    q.onFull = () => full++;
    q.append("m", 1);
    q.append("m", 2);
    expect([first, full]).toEqual([1, 0]);
    q.assign("f", 1);
    expect(full).toBe(1);
    takeOps(q);
    q.append("m", 3);
    expect(first).toBe(2);
  });
});

describe("OpQueue validation", () => {
  it("rejects bad paths, the sys/ namespace and a path used as two kinds, at the call", () => {
    const q = queue();
    expect(() => q.append("bad path", 1)).toThrow(TypeError);
    expect(() => q.append("a//b", 1)).toThrow(/empty segment/);
    expect(() => q.assign("sys/state", "x")).toThrow(/sys/);
    q.append("m", 1);
    expect(() => q.append("m", "text")).toThrow(/floatSeries/);
    expect(() => q.assign("m", 1)).toThrow(/cannot also be a float/);
    expect(() => q.assign("m", null)).toThrow(/only fields can be cleared/);
    q.assign("f", 1);
    expect(() => q.assign("f", "one")).toThrow(/is a float in this run/);
    q.assign("f", null); // deletes the field on the server; any type may follow
    q.assign("f", "one");
    expect(q.size).toBe(4);
  });

  it("rejects steps that do not increase, and non-finite steps, before the server would refuse the whole batch", () => {
    const q = queue();
    q.append("m", 1, { step: 5 });
    expect(() => q.append("m", 2, { step: 5 })).toThrow(/greater than the previous step 5/);
    expect(() => q.append("m", 2, { step: NaN })).toThrow(TypeError);
    expect(() => q.append("n", 2, { step: Infinity })).toThrow(TypeError);
    q.append("m", 3); // server assigns 6
    expect(() => q.append("m", 4, { step: 6 })).toThrow(/previous step 6/);
    q.append("m", 4, { step: 6.5 });
    expect(takeOps(q)[0].points!.map((p) => p.step)).toEqual([5, undefined, 6.5]);
  });

  it("rejects values the API cannot store", () => {
    const q = queue();
    expect(() => q.append("m", {} as unknown as number)).toThrow(TypeError);
    expect(() => q.append("m", null as unknown as number)).toThrow(TypeError);
    q.append("s", "text");
    expect(() => q.append("s", undefined as unknown as string)).toThrow(TypeError);
    expect(() => q.assign("f", NaN)).toThrow(/NaN/);
    expect(() => q.assign("f", new Date("nope"))).toThrow(/invalid Date/);
    expect(() => q.assign("f", [1] as unknown as number)).toThrow(/array/);
    expect(() => q.tags("addTags", [""])).toThrow(TypeError);
    expect(q.size).toBe(1);
  });

  it("keeps to the server's limits on text and tags, so one value cannot sink a whole request", () => {
    const q = queue();
    q.append("log", "x".repeat(65_536));
    expect(() => q.append("log", "x".repeat(65_537))).toThrow(/at most 65536 characters/);
    expect(() => q.append("other", "x".repeat(65_537))).toThrow(/at most 65536 characters/);
    expect(() => q.assign("note", "x".repeat(65_537))).toThrow(/at most 65536 characters/);
    expect(() => q.tags("addTags", Array.from({ length: 1001 }, (_, i) => `t${i}`))).toThrow(/at most 1000 tags/);
    expect(q.size).toBe(1);
  });

  it("refuses everything after close()", () => {
    const q = queue();
    q.append("m", 1);
    q.close();
    expect(() => q.append("m", 2)).toThrow(/finished/);
    expect(() => q.assign("f", 1)).toThrow(/finished/);
  });
});

describe("splitBatch", () => {
  it("halves a refused batch into new ids derived from the parent, in order", () => {
    const q = queue();
    q.assign("a", 1);
    q.assign("b", 2);
    q.assign("c", 3);
    const t = q.take(100, 1 << 20)!;
    const [left, right] = splitBatch(makeBatch("p", t.ops, t.firstSeq))!;
    expect([left.id, right.id]).toEqual(["p-0", "p-1"]);
    expect(JSON.parse(left.body).ops.map((o: Op) => o.assign)).toEqual(["a"]);
    expect(JSON.parse(right.body).ops.map((o: Op) => o.assign)).toEqual(["b", "c"]);
    expect(splitBatch(left)).toBeNull();
  });
});

describe("resolveConfig", () => {
  it("takes options first, then the environment, and checks both once", () => {
    const env = { CAIRN_URL: "http://env:3000/", CAIRN_API_KEY: "env-key", CAIRN_PROJECT: "ws/env" };
    expect(resolveConfig(undefined, {}, env)).toMatchObject({ url: "http://env:3000", apiKey: "env-key", workspace: "ws", project: "env" });
    expect(resolveConfig("a/b", { url: "http://x", apiKey: "k", flushIntervalMs: 5 }, env)).toMatchObject({
      url: "http://x", apiKey: "k", workspace: "a", project: "b", flushIntervalMs: 5, maxBatchPoints: 20_000,
    });
    expect(() => resolveConfig("a", {}, env)).toThrow(/workspace\/project/);
    expect(() => resolveConfig(undefined, {}, {})).toThrow(/CAIRN_URL/);
    expect(() => resolveConfig(undefined, { url: "not a url" }, env)).toThrow(/not a URL/);
    expect(() => resolveConfig(undefined, { maxBatchPoints: 200_000 }, env)).toThrow(/maxBatchPoints/);
    expect(() => resolveConfig(undefined, { maxBatchBytes: 16 * 1024 * 1024 }, env)).toThrow(/maxBatchBytes/);
  });
});
