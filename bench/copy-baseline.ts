import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BenchContext } from "./harness/context";
import type { CpuReport } from "./harness/cpu-meter";
import { prng } from "./harness/stats";

/** The same columns and primary key as float_points, so COPY pays for the same index. */
export async function createCopyTable(ctx: BenchContext): Promise<void> {
  await ctx.db.sql`
    CREATE TABLE IF NOT EXISTS bench_copy_points (
      series_id bigint NOT NULL, step double precision NOT NULL, value double precision NOT NULL, ts bigint NOT NULL,
      PRIMARY KEY (series_id, step))`;
}

export type CopyResult = { streams: number; rows: number; elapsedMs: number; pointsPerS: number; cpu: CpuReport };

/**
 * COPY ... FROM STDIN of `streams` × `rowsPerStream` rows (series_id, step, value, ts), one
 * stream per connection, all at once. Rows are rendered to text before the clock starts and
 * sent in chunks of `chunkRows`, as the API gets them.
 */
export async function copyBaseline(ctx: BenchContext, o: { streams: number; rowsPerStream: number; chunkRows: number; firstSeriesId: number; seed: number }): Promise<CopyResult> {
  const random = prng(o.seed);
  const ts = Date.now();
  const chunks: Buffer[][] = [];
  for (let w = 0; w < o.streams; w++) {
    const list: Buffer[] = [];
    const sid = o.firstSeriesId + w;
    for (let first = 0; first < o.rowsPerStream; first += o.chunkRows) {
      let text = "";
      for (let step = first; step < Math.min(o.rowsPerStream, first + o.chunkRows); step++) text += `${sid}\t${step}\t${random()}\t${ts}\n`;
      list.push(Buffer.from(text));
    }
    chunks.push(list);
  }
  const meter = ctx.cpuMeter(process.pid);
  await meter.begin();
  const t0 = performance.now();
  await Promise.all(chunks.map(async (list) => {
    const stream = await ctx.db.sql`COPY bench_copy_points (series_id, step, value, ts) FROM STDIN`.writable();
    await pipeline(Readable.from(list), stream);
  }));
  const elapsedMs = performance.now() - t0;
  const cpu = await meter.end();
  const rows = o.streams * o.rowsPerStream;
  const [{ n }] = await ctx.db.sql<{ n: string }[]>`
    SELECT count(*) AS n FROM bench_copy_points WHERE series_id >= ${o.firstSeriesId} AND series_id < ${o.firstSeriesId + o.streams}`;
  if (Number(n) !== rows) throw new Error(`COPY stored ${n} rows, expected ${rows}`);
  return { streams: o.streams, rows, elapsedMs: Math.round(elapsedMs), pointsPerS: Math.round(rows / (elapsedMs / 1000)), cpu };
}
