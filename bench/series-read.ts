import type { BenchContext } from "./harness/context";
import { prng, round, summarize } from "./harness/stats";
import { checkBuckets, type BucketCheck } from "./series-read-check";

const TOTAL_POINTS = Number(process.env.BENCH_SERIES_POINTS ?? 10_000_000);
const SEED_BATCH = 100_000;
const MAX_POINTS = 1_000;
const WHOLE_READS = 20;
const ZOOM_READS = 200;
const WARMUP_READS = 10;
const TARGET_P95_MS = 100;
const PATH = "train/loss";

/** A window of `width` points anywhere in the series, width log-uniform in [min, max]. */
function randomWindow(random: () => number, minWidth: number, maxWidth: number): { from: number; to: number } {
  const width = Math.round(Math.exp(Math.log(minWidth) + random() * (Math.log(maxWidth) - Math.log(minWidth))));
  const from = Math.floor(random() * (TOTAL_POINTS - width));
  return { from, to: from + width - 1 };
}

/**
 * Chart reads of one 10M-point series (seeded through the API in 100k-point requests):
 * whole range and random zoom windows at maxPoints=1000, one request at a time, then an
 * exactness check of the buckets of 3 windows against SQL over the raw points.
 */
export async function benchSeriesRead(ctx: BenchContext) {
  const [runId] = await ctx.createRuns(1, "long-series");
  const prep = await ctx.client.run("prepareSeed", { port: ctx.server.port, key: ctx.db.apiKey, runId, path: PATH, total: TOTAL_POINTS, batch: SEED_BATCH, seed: 42 });
  ctx.log(`series read: seeding ${TOTAL_POINTS} points in ${prep.requests} requests (${Math.round(prep.bytes / 2 ** 20)} MiB)`);
  const seedMeter = ctx.cpuMeter();
  await seedMeter.begin();
  const seeded = await ctx.client.run("runPrepared", { port: ctx.server.port, timeLimitMs: 1_200_000 });
  const seedCpu = await seedMeter.end();
  if (seeded.errors > 0) throw new Error(`seeding: ${seeded.errors} failed requests; first: ${seeded.firstError}`);
  if (seeded.points !== TOTAL_POINTS) throw new Error(`seeding stopped at ${seeded.points} of ${TOTAL_POINTS} points (time limit)`);
  const seedRate = seeded.points / (seeded.elapsedMs / 1000);
  ctx.log(`series read: seeded at ${Math.round(seedRate)} points/s`);

  const base = `/api/v1/runs/${runId}/series/${PATH}?maxPoints=${MAX_POINTS}`;
  const random = prng(7);
  const whole = Array.from({ length: WHOLE_READS }, () => base);
  const zoomWindows = Array.from({ length: ZOOM_READS }, () => randomWindow(random, 100, 5_000_000));
  const zoom = zoomWindows.map((w) => `${base}&fromStep=${w.from}&toStep=${w.to}`);
  const warmup = [...whole.slice(0, WARMUP_READS / 2), ...zoom.slice(0, WARMUP_READS / 2)];
  // Interleave whole-range and zoom reads so both see the same noise.
  const timed: { kind: "whole" | "zoom"; path: string; width?: number }[] = [];
  for (let i = 0; i < ZOOM_READS; i++) {
    timed.push({ kind: "zoom", path: zoom[i], width: zoomWindows[i].to - zoomWindows[i].from + 1 });
    if (i % (ZOOM_READS / WHOLE_READS) === 0) timed.push({ kind: "whole", path: base });
  }
  await ctx.client.run("getSequential", { port: ctx.server.port, key: ctx.db.apiKey, paths: warmup, keepBodies: [], timeLimitMs: 120_000 });
  const meter = ctx.cpuMeter();
  await meter.begin();
  const r = await ctx.client.run("getSequential", { port: ctx.server.port, key: ctx.db.apiKey, paths: timed.map((t) => t.path), keepBodies: [], timeLimitMs: 300_000 });
  const cpu = await meter.end();
  const failed = r.statuses.findIndex((s) => s !== 200);
  if (failed >= 0) throw new Error(`series read ${timed[failed].path} answered ${r.statuses[failed]}: ${r.bodies[failed]}`);
  const wholeLat = r.latencies.filter((_, i) => timed[i].kind === "whole");
  const zoomLat = r.latencies.filter((_, i) => timed[i].kind === "zoom");
  const wholeS = summarize(wholeLat);
  const zoomS = summarize(zoomLat);
  // Zoom latency by window width, to show where the time goes (raw points vs block levels).
  const bands: [string, number, number][] = [["100-10k", 100, 10_000], ["10k-100k", 10_000, 100_000], ["100k-1M", 100_000, 1_000_000], ["1M-5M", 1_000_000, Infinity]];
  const zoomTimed = timed.map((t, i) => ({ t, ms: r.latencies[i] })).filter((x) => x.t.kind === "zoom");
  const zoomByWidth = Object.fromEntries(bands.map(([name, lo, hi]) => {
    const ms = zoomTimed.filter((x) => x.t.width! >= lo && x.t.width! < hi).map((x) => x.ms);
    const s = summarize(ms);
    return [name, { count: s.count, p50: s.p50, p95: s.p95, max: s.max }];
  }));
  ctx.log(`series read: whole p95 ${wholeS.p95} ms, zoom p95 ${zoomS.p95} ms`);

  const checks: BucketCheck[] = [];
  const checkRandom = prng(99);
  for (let i = 0; i < 3; i++) {
    const w = randomWindow(checkRandom, 20_000, 5_000_000);
    checks.push(await checkBuckets(ctx, { runId, path: PATH, from: w.from, to: w.to, maxPoints: MAX_POINTS }));
  }
  const exact = checks.every((c) => c.pass);
  ctx.log(`series read: exactness ${exact ? "pass" : "FAIL"}`);

  return {
    setup: { points: TOTAL_POINTS, seedBatch: SEED_BATCH, maxPoints: MAX_POINTS, wholeRangeReads: WHOLE_READS, zoomReads: ZOOM_READS, zoomWidths: "log-uniform 100 to 5,000,000 points, anywhere", warmupReads: WARMUP_READS, client: "one request at a time" },
    seed: { points: seeded.points, elapsedMs: Math.round(seeded.elapsedMs), pointsPerS: Math.round(seedRate), requestLatencyMs: { p50: seeded.latency.p50, p95: seeded.latency.p95, max: seeded.latency.max }, cpu: seedCpu },
    wholeRangeMs: wholeS,
    zoomMs: zoomS,
    zoomMsByWidth: zoomByWidth,
    headline: `p95 whole range ${wholeS.p95} ms, zoom ${zoomS.p95} ms; buckets exact: ${exact}`,
    target: `p95 < ${TARGET_P95_MS} ms`,
    pass: wholeS.p95 < TARGET_P95_MS && zoomS.p95 < TARGET_P95_MS,
    responseKiB: round(r.bytes / r.latencies.length / 1024, 1),
    cpu,
    exactness: { pass: exact, windows: checks },
  };
}
