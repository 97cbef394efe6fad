import type { BenchContext } from "./harness/context";
import { median, round } from "./harness/stats";
import { startTrivialServer } from "./harness/trivial-server";

const WRITERS = 50;
const DURATION_MS = Number(process.env.BENCH_SMALL_MS ?? 10_000);
const WARMUP_MS = 2_000;
const REPS = 3;
const MAX_REQUESTS_PER_REP = 500_000;
const TARGET_RPS = 5_000;

/**
 * Many clients logging one point at a time: 50 connections, each with one request in flight,
 * each appending one point to its own run. Req/s and latency per phase; medians of 3.
 */
export async function benchSmallRequests(ctx: BenchContext) {
  const runIds = await ctx.createRuns(WRITERS, "small");
  const meter = ctx.cpuMeter();
  await meter.begin();
  const phases = await ctx.client.run("smallRequests", {
    port: ctx.server.port, key: ctx.db.apiKey, runIds, writers: WRITERS, path: "step/loss",
    warmupMs: WARMUP_MS, durationMs: DURATION_MS, reps: REPS, maxRequestsPerRep: MAX_REQUESTS_PER_REP,
  });
  const cpu = await meter.end();
  const errors = phases.reduce((n, p) => n + p.errors, 0);
  if (errors > 0) throw new Error(`small requests: ${errors} failed; first: ${phases.find((p) => p.firstError)?.firstError}`);
  const reps = phases.map((p) => ({
    requests: p.requests,
    elapsedMs: Math.round(p.elapsedMs),
    requestsPerS: Math.round(p.requests / (p.elapsedMs / 1000)),
    latencyMs: p.latency,
  }));
  const [{ n }] = await ctx.db.sql<{ n: string }[]>`
    SELECT count(*) AS n FROM float_points p JOIN fields f ON f.id = p.series_id WHERE f.run_id = ANY(${`{${runIds.join(",")}}`}::uuid[])`;
  const rps = median(reps.map((r) => r.requestsPerS));
  const latencyMs = { p50: round(median(reps.map((r) => r.latencyMs.p50))), p95: round(median(reps.map((r) => r.latencyMs.p95))) };
  ctx.log(`small requests: ${reps.map((r) => r.requestsPerS).join(", ")} req/s`);

  // The same client against a server that does no work: how fast plain HTTP is on this box now.
  const trivial = await startTrivialServer();
  let ceiling: number;
  try {
    const [c] = await ctx.client.run("smallRequests", {
      port: trivial.port, key: "none", runIds, writers: WRITERS, path: "step/loss", warmupMs: 500, durationMs: 3_000, reps: 1, maxRequestsPerRep: MAX_REQUESTS_PER_REP,
    });
    ceiling = Math.round(c.requests / (c.elapsedMs / 1000));
  } finally {
    trivial.stop();
  }
  return {
    setup: { writers: WRITERS, runs: runIds.length, pointsPerRequest: 1, warmupMs: WARMUP_MS, durationMs: DURATION_MS, reps: REPS, client: "raw HTTP/1.1 keep-alive sockets in a separate process, one request in flight per connection" },
    requestsPerS: round(rps, 0),
    latencyMs,
    headline: `${Math.round(rps)} req/s, p50 ${latencyMs.p50} ms, p95 ${latencyMs.p95} ms`,
    target: `>= ${TARGET_RPS} req/s`,
    pass: rps >= TARGET_RPS,
    pointsStored: Number(n),
    calibration: { trivialServerRequestsPerS: ceiling, note: "same client, 50 connections, against a Node server that only parses the body and answers" },
    cpuWholeBench: cpu,
    reps,
  };
}
