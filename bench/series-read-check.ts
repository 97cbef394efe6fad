import type { BenchContext } from "./harness/context";

type Bucket = { fromStep: number; toStep: number; min: number | string | null; max: number | string | null; last: number | string; count: number };

export type BucketCheck = { fromStep: number; toStep: number; buckets: number; pointsInWindow: number; pass: boolean; problems: string[] };

const floats = (v: number[]) => `{${v.join(",")}}`;

/**
 * Reads one window and checks every bucket against SQL over the raw points: min, max, count
 * and last equal; buckets ordered, inside the window, not overlapping, and together holding
 * every point of the window (so there is no gap).
 */
export async function checkBuckets(ctx: BenchContext, w: { runId: string; path: string; from: number; to: number; maxPoints: number }): Promise<BucketCheck> {
  const problems: string[] = [];
  const res = await fetch(`${ctx.server.url}/api/v1/runs/${w.runId}/series/${w.path}?maxPoints=${w.maxPoints}&fromStep=${w.from}&toStep=${w.to}`, {
    headers: { authorization: `Bearer ${ctx.db.apiKey}` },
  });
  const body = (await res.json()) as { buckets?: Bucket[]; points?: unknown[] };
  const buckets = body.buckets ?? [];
  if (res.status !== 200 || !body.buckets) problems.push(`expected buckets, got ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  if (buckets.length > w.maxPoints) problems.push(`${buckets.length} buckets for maxPoints=${w.maxPoints}`);

  const [{ id }] = await ctx.db.sql<{ id: string }[]>`SELECT id FROM fields WHERE run_id = ${w.runId} AND path = ${w.path}`;
  const [{ n }] = await ctx.db.sql<{ n: string }[]>`
    SELECT count(*) AS n FROM float_points WHERE series_id = ${id} AND step BETWEEN ${w.from} AND ${w.to}`;
  const inWindow = Number(n);
  const sum = buckets.reduce((s, b) => s + b.count, 0);
  if (sum !== inWindow) problems.push(`buckets hold ${sum} points, the window ${inWindow}`);
  buckets.forEach((b, i) => {
    if (b.fromStep > b.toStep) problems.push(`bucket ${i}: fromStep > toStep`);
    if (i > 0 && buckets[i - 1].toStep >= b.fromStep) problems.push(`bucket ${i} overlaps bucket ${i - 1}`);
  });
  if (buckets.length && (buckets[0].fromStep < w.from || buckets.at(-1)!.toStep > w.to)) problems.push("buckets reach outside the window");

  if (buckets.length > 0) {
    const froms = buckets.map((b) => b.fromStep);
    const tos = buckets.map((b) => b.toStep);
    const rows = await ctx.db.sql<{ i: string; min: number | null; max: number | null; n: string; last: number | null }[]>`
      SELECT b.i, min(p.value) AS min, max(p.value) AS max, count(p.step) AS n,
        (SELECT value FROM float_points WHERE series_id = ${id} AND step = b.t) AS last
      FROM unnest(${floats(froms)}::text::float8[], ${floats(tos)}::text::float8[]) WITH ORDINALITY AS b(f, t, i)
      LEFT JOIN float_points p ON p.series_id = ${id} AND p.step >= b.f AND p.step <= b.t
      GROUP BY b.i, b.t ORDER BY b.i`;
    rows.forEach((r, i) => {
      const b = buckets[i];
      const bad: string[] = [];
      if (Number(r.n) !== b.count) bad.push(`count ${b.count} vs ${r.n}`);
      if (r.min !== b.min) bad.push(`min ${b.min} vs ${r.min}`);
      if (r.max !== b.max) bad.push(`max ${b.max} vs ${r.max}`);
      if (r.last !== b.last) bad.push(`last ${b.last} vs ${r.last}`);
      if (bad.length && problems.length < 10) problems.push(`bucket ${i} [${b.fromStep}, ${b.toStep}]: ${bad.join(", ")}`);
    });
  }
  return { fromStep: w.from, toStep: w.to, buckets: buckets.length, pointsInWindow: inWindow, pass: problems.length === 0, problems };
}
