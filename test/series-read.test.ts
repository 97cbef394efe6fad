import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { sql } from "drizzle-orm";

type Bucket = { fromStep: number; toStep: number; min: number | string | null; max: number | null; last: number | string; count: number };

// A deterministic series with spikes, NaNs and irregular steps.
function makeSeries(n: number) {
  const steps: number[] = [];
  const values: (number | string)[] = [];
  let step = 0;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < n; i++) {
    step += 1 + Math.floor(rand() * 3);
    steps.push(step);
    const r = rand();
    values.push(r < 0.001 ? 1000 + i : r < 0.002 ? -1000 - i : r < 0.003 ? "NaN" : Math.sin(i / 50) + rand() * 0.1);
  }
  return { steps, values };
}

function expectedBucket(steps: number[], values: (number | string)[], from: number, to: number) {
  let min: number | null = null, max: number | null = null, count = 0, last: number | string = NaN;
  steps.forEach((s, i) => {
    if (s < from || s > to) return;
    count++;
    last = values[i];
    const v = typeof values[i] === "number" ? (values[i] as number) : NaN;
    if (Number.isNaN(v)) return;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  });
  return { min, max, count, last };
}

describe.each(databaseKinds())("series reads on $name", (kind) => {
  let s: ApiServer;
  let runId: string;
  const N = 120_000;
  const data = makeSeries(N);
  beforeAll(async () => {
    s = await startApiServer(kind);
    runId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id;
    // Uneven batch sizes so blocks are completed across several requests.
    let i = 0, b = 0;
    const sizes = [1, 31, 1000, 33_000, 7, 50_000];
    while (i < N) {
      const n = Math.min(sizes[b % sizes.length], N - i);
      const points = data.steps.slice(i, i + n).map((step, j) => ({ step, value: data.values[i + j] }));
      const r = await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: `b${b}`, ops: [{ append: "loss", type: "floatSeries", points }] });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      i += n;
      b++;
    }
  }, 300_000);
  afterAll(async () => { await s?.close(); });

  const read = async (q: string) => {
    const r = await s.call("GET", `/api/v1/runs/${runId}/series/loss?${q}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json;
  };

  const checkBuckets = (buckets: Bucket[], from: number, to: number, maxPoints: number) => {
    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets.length).toBeLessThanOrEqual(maxPoints);
    const inWindow = data.steps.filter((st) => st >= from && st <= to);
    expect(buckets[0].fromStep).toBe(inWindow[0]);
    expect(buckets[buckets.length - 1].toStep).toBe(inWindow[inWindow.length - 1]);
    let total = 0;
    buckets.forEach((b, i) => {
      if (i > 0) expect(b.fromStep).toBeGreaterThan(buckets[i - 1].toStep);
      const e = expectedBucket(data.steps, data.values, b.fromStep, b.toStep);
      expect({ min: b.min, max: b.max, count: b.count }).toEqual({ min: e.min, max: e.max, count: e.count });
      expect(b.last).toEqual(typeof e.last === "number" && Number.isNaN(e.last) ? "NaN" : e.last);
      total += b.count;
    });
    expect(total).toBe(inWindow.length);
  };

  test("whole range: exact buckets, no spike lost", async () => {
    const r = await read("maxPoints=1000");
    expect(r.points).toBeUndefined();
    checkBuckets(r.buckets, -Infinity, Infinity, 1000);
    const spikes = data.values.filter((v) => typeof v === "number" && Math.abs(v) >= 1000) as number[];
    const maxes = new Set(r.buckets.map((b: Bucket) => b.max));
    const mins = new Set(r.buckets.map((b: Bucket) => b.min));
    // Every spike is the extreme of its bucket unless a bigger spike shares it.
    const top = Math.max(...spikes), bottom = Math.min(...spikes);
    expect(maxes.has(top)).toBe(true);
    expect(mins.has(bottom)).toBe(true);
  });

  test("zoom windows anywhere, exact", async () => {
    const last = data.steps[N - 1];
    const windows: [number, number, number][] = [
      [0, last / 2, 500], [last / 3, last / 3 + 5000, 300], [last - 100_000, last + 10, 1000],
      [12_345.5, 98_765.25, 50], [data.steps[1000], data.steps[70_000], 2000], [-50, 40, 10],
    ];
    for (const [from, to, maxPoints] of windows) {
      const r = await read(`maxPoints=${maxPoints}&fromStep=${from}&toStep=${to}`);
      const n = data.steps.filter((st) => st >= from && st <= to).length;
      if (n <= maxPoints) {
        expect(r.points).toHaveLength(n);
      } else {
        checkBuckets(r.buckets, from, to, maxPoints);
      }
    }
  });

  test("small windows return the points themselves", async () => {
    const from = data.steps[5000], to = data.steps[5099];
    const r = await read(`maxPoints=100&fromStep=${from}&toStep=${to}`);
    expect(r.points).toHaveLength(100);
    expect(r.points.map((p: { step: number }) => p.step)).toEqual(data.steps.slice(5000, 5100));
    expect(r.points.map((p: { value: unknown }) => p.value)).toEqual(data.values.slice(5000, 5100));
    const one = await read(`maxPoints=101&fromStep=${from}&toStep=${to}`);
    expect(one.points).toHaveLength(100);
    const fewer = await read(`maxPoints=99&fromStep=${from}&toStep=${to}`);
    expect(fewer.buckets.length).toBeLessThanOrEqual(99);
    checkBuckets(fewer.buckets, from, to, 99);
  });

  test("stored blocks are complete and exact", async () => {
    const blocks = await s.db.database.rows<{ level: number; block_no: number; from_step: number; to_step: number; min: number | null; max: number | null; count: number }>(sql`
      SELECT level, block_no::float8 AS block_no, from_step, to_step, min, max, count FROM series_blocks ORDER BY level, block_no`);
    const perLevel = [1, 2, 3].map((l) => blocks.filter((b) => b.level === l).length);
    expect(perLevel).toEqual([Math.floor(N / 32), Math.floor(N / 1024), Math.floor(N / 32768)]);
    for (const b of blocks.filter((_, i) => i % 97 === 0 || _.level > 1)) {
      const size = 32 ** b.level;
      expect(b.count).toBe(size);
      const first = b.block_no * size;
      expect(b.from_step).toBe(data.steps[first]);
      expect(b.to_step).toBe(data.steps[first + size - 1]);
      const e = expectedBucket(data.steps, data.values, b.from_step, b.to_step);
      expect({ min: b.min, max: b.max }).toEqual({ min: e.min, max: e.max });
    }
  });

  test("bad queries are 400, unknown series 404", async () => {
    expect((await s.call("GET", `/api/v1/runs/${runId}/series/loss?maxPoints=0`)).status).toBe(400);
    expect((await s.call("GET", `/api/v1/runs/${runId}/series/loss?maxPoints=abc`)).status).toBe(400);
    expect((await s.call("GET", `/api/v1/runs/${runId}/series/loss?fromStep=10&toStep=1`)).status).toBe(400);
    expect((await s.call("GET", `/api/v1/runs/${runId}/series/nope`)).status).toBe(404);
  });
});
