import { describe, expect, test } from "vitest";
import { bucketize } from "./bucketize";
import { foldIntoBlocks, type BlockAgg } from "./blocks";

describe("foldIntoBlocks", () => {
  test("splits appends at block boundaries and merges later appends", () => {
    const acc = new Map<string, BlockAgg>();
    const steps = Array.from({ length: 40 }, (_, i) => i);
    const values = steps.map((i) => (i === 3 ? NaN : i === 33 ? 100 : i));
    foldIntoBlocks(acc, 1, 0, steps.slice(0, 20), values.slice(0, 20));
    foldIntoBlocks(acc, 1, 20, steps.slice(20), values.slice(20));
    expect(acc.get("1:1:0")).toEqual({ seriesId: 1, level: 1, blockNo: 0, fromStep: 0, toStep: 31, min: 0, max: 31, last: 31, count: 32 });
    expect(acc.get("1:1:1")).toEqual({ seriesId: 1, level: 1, blockNo: 1, fromStep: 32, toStep: 39, min: 32, max: 100, last: 39, count: 8 });
    expect(acc.get("1:2:0")).toMatchObject({ fromStep: 0, toStep: 39, min: 0, max: 100, count: 40 });
  });

  test("a block of NaN only has no extremes", () => {
    const acc = new Map<string, BlockAgg>();
    foldIntoBlocks(acc, 2, 0, [1, 2], [NaN, NaN]);
    expect(acc.get("2:1:0")).toMatchObject({ min: null, max: null, count: 2 });
    expect(Number.isNaN(acc.get("2:1:0")!.last)).toBe(true);
  });
});

describe("bucketize", () => {
  const piece = (step: number, v: number) => ({ fromStep: step, toStep: step, min: v, max: v, last: v, count: 1 });

  test("keeps at most maxBuckets with exact extremes", () => {
    const pieces = Array.from({ length: 1000 }, (_, i) => piece(i, i === 517 ? 1e9 : Math.sin(i)));
    const buckets = bucketize(pieces, 10);
    expect(buckets).toHaveLength(10);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(1000);
    expect(buckets[5]).toMatchObject({ fromStep: 500, toStep: 599, max: 1e9 });
  });

  test("one step, or nothing", () => {
    expect(bucketize([piece(3, 1)], 5)).toEqual([piece(3, 1)]);
    expect(bucketize([], 5)).toEqual([]);
  });
});
