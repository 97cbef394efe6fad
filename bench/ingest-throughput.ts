import type { BenchContext } from "./harness/context";
import type { CpuReport } from "./harness/cpu-meter";
import { median, round } from "./harness/stats";
import { copyBaseline, createCopyTable, type CopyResult } from "./copy-baseline";

const WRITERS = 4;
const POINTS_PER_REQUEST = 10_000;
const TOTAL_POINTS = Number(process.env.BENCH_INGEST_POINTS ?? 2_000_000);
const REPS = 3;
const TARGET_RATIO = 0.5;

type ApiRep = { points: number; elapsedMs: number; pointsPerS: number; requestLatencyMs: { p50: number; p95: number; max: number }; cpu: CpuReport };

/**
 * Points/s through POST /runs/{id}/ops (4 writers, each its own run, 10,000-point requests)
 * against COPY of as many rows into a table shaped like float_points, in the same database,
 * interleaved rep by rep so both see the same machine noise.
 */
export async function benchIngest(ctx: BenchContext) {
  const requestsPerWriter = Math.ceil(TOTAL_POINTS / WRITERS / POINTS_PER_REQUEST);
  const rowsPerWriter = requestsPerWriter * POINTS_PER_REQUEST;
  await createCopyTable(ctx);
  const api: ApiRep[] = [];
  const copy4: CopyResult[] = [];
  const copy1: CopyResult[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const runIds = await ctx.createRuns(WRITERS, `ingest-${rep}`);
    await ctx.client.run("prepareIngest", {
      port: ctx.server.port, key: ctx.db.apiKey, runIds, path: "train/loss", requestsPerWriter, pointsPerRequest: POINTS_PER_REQUEST, seed: 1000 + rep,
    });
    const meter = ctx.cpuMeter();
    await meter.begin();
    const r = await ctx.client.run("runPrepared", { port: ctx.server.port, timeLimitMs: 600_000 });
    const cpu = await meter.end();
    if (r.errors > 0) throw new Error(`ingest: ${r.errors} failed requests; first: ${r.firstError}`);
    await expectStored(ctx, runIds, rowsPerWriter * WRITERS);
    const rate = r.points / (r.elapsedMs / 1000);
    api.push({ points: r.points, elapsedMs: Math.round(r.elapsedMs), pointsPerS: Math.round(rate), requestLatencyMs: { p50: r.latency.p50, p95: r.latency.p95, max: r.latency.max }, cpu });
    ctx.log(`ingest rep ${rep + 1}: API ${Math.round(rate)} points/s (${(r.elapsedMs / 1000).toFixed(1)} s)`);

    copy4.push(await copyBaseline(ctx, { streams: WRITERS, rowsPerStream: rowsPerWriter, chunkRows: POINTS_PER_REQUEST, firstSeriesId: 1_000 * rep + 1, seed: 2000 + rep }));
    copy1.push(await copyBaseline(ctx, { streams: 1, rowsPerStream: rowsPerWriter * WRITERS, chunkRows: POINTS_PER_REQUEST, firstSeriesId: 1_000 * rep + 100, seed: 3000 + rep }));
    ctx.log(`ingest rep ${rep + 1}: COPY×${WRITERS} ${copy4.at(-1)!.pointsPerS} rows/s, COPY×1 ${copy1.at(-1)!.pointsPerS} rows/s`);
  }
  const apiMedian = median(api.map((a) => a.pointsPerS));
  const copyMedian = median(copy4.map((c) => c.pointsPerS));
  const copy1Median = median(copy1.map((c) => c.pointsPerS));
  const ratio = apiMedian / copyMedian;
  return {
    setup: {
      writers: WRITERS, pointsPerRequest: POINTS_PER_REQUEST, pointsPerRep: rowsPerWriter * WRITERS, reps: REPS,
      body: "one append op per request, explicit integer steps, random float64 values, no ts",
      baseline: `COPY FROM STDIN into bench_copy_points (float_points' columns and primary key), ${WRITERS} concurrent streams; 1 stream also shown`,
    },
    apiPointsPerS: round(apiMedian, 0),
    copyPointsPerS: round(copyMedian, 0),
    copySingleStreamPointsPerS: round(copy1Median, 0),
    ratio: round(ratio, 3),
    ratioVsFasterCopy: round(apiMedian / Math.max(copyMedian, copy1Median), 3),
    headline: `API ${Math.round(apiMedian)} points/s = ${ratio.toFixed(2)} x COPY (${Math.round(copyMedian)} rows/s)`,
    target: `API >= ${TARGET_RATIO} x COPY`,
    pass: ratio >= TARGET_RATIO,
    reps: { api, copy: copy4, copySingleStream: copy1 },
  };
}

async function expectStored(ctx: BenchContext, runIds: string[], expected: number) {
  const [{ n }] = await ctx.db.sql<{ n: string }[]>`
    SELECT count(*) AS n FROM float_points p JOIN fields f ON f.id = p.series_id WHERE f.run_id = ANY(${`{${runIds.join(",")}}`}::uuid[])`;
  if (Number(n) !== expected) throw new Error(`ingest stored ${n} points, expected ${expected}`);
}
