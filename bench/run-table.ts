import type { BenchContext } from "./harness/context";
import { round, summarize } from "./harness/stats";
import { seedRuns } from "./seed-runs";

const RUNS = Number(process.env.BENCH_TABLE_RUNS ?? 100_000);
const REPS = Math.max(20, Number(process.env.BENCH_TABLE_REPS ?? 20));
const WARMUP = 3;
const PAGE = 50;
const DEEP_PAGE = 200;
const TARGET_P95_MS = 100;
/** Per case: warm-up, cursor walk and timed requests stop here (the case then fails). */
const CASE_TIME_LIMIT_MS = Number(process.env.BENCH_TABLE_CASE_LIMIT_S ?? 600) * 1000;

// What a run table shows: a handful of columns of each kind.
const COLUMNS = [
  "params/p00", "params/p01", "params/p02", "params/p05", "params/s00", "params/s01", "params/b00",
  "last(metrics/m0)", "last(metrics/m1)", "min(metrics/m0)", "sys/state", "sys/owner", "tags",
];

type Body = { query?: string; sort?: { column: string; direction: "asc" | "desc" }; columns: string[]; limit: number; cursor?: string };
type Case = { name: string; description: string; body: Body; page: 1 | typeof DEEP_PAGE };

const atomSort: Body = { query: `params/p01 > 0.5 and params/s00 = "adam"`, sort: { column: "params/p00", direction: "desc" }, columns: COLUMNS, limit: PAGE };
const seriesSort: Body = { query: `params/b00 = true and params/p02 < 0.6`, sort: { column: "last(metrics/m0)", direction: "asc" }, columns: COLUMNS, limit: PAGE };
// About 50 matches, spread over the whole order: a walk of the sort index meets too few of them
// before its cap and the filter is evaluated first instead (the worst case of the two).
const selective: Body = { query: `params/s03 = "cfg-123" and params/p01 > 0.5`, sort: { column: "params/p00", direction: "desc" }, columns: COLUMNS, limit: PAGE };
const noFilter: Body = { sort: { column: "sys/creation_time", direction: "desc" }, columns: COLUMNS, limit: PAGE };

const CASES: Case[] = [
  { name: "atomSortFiltered", description: "page 1: sort params/p00 desc, filter params/p01 > 0.5 and params/s00 = \"adam\"", body: atomSort, page: 1 },
  { name: "seriesSortFiltered", description: "page 1: sort last(metrics/m0) asc, filter params/b00 = true and params/p02 < 0.6", body: seriesSort, page: 1 },
  { name: "atomSortFilteredPage200", description: "page 200 via the cursor of atomSortFiltered", body: atomSort, page: DEEP_PAGE },
  { name: "seriesSortFilteredPage200", description: "page 200 via the cursor of seriesSortFiltered", body: seriesSort, page: DEEP_PAGE },
  { name: "selectiveFilter", description: "page 1: sort params/p00 desc, filter params/s03 = \"cfg-123\" and params/p01 > 0.5 (~50 runs)", body: selective, page: 1 },
  { name: "noFilterCreationTime", description: "page 1: sort sys/creation_time desc, no filter", body: noFilter, page: 1 },
  { name: "noFilterCreationTimePage200", description: "page 200 via the cursor of noFilterCreationTime", body: noFilter, page: DEEP_PAGE },
];

type QueryResult = { runs: { id: string; values: Record<string, unknown> }[]; nextCursor: string | null };

/**
 * The run table at scale: RUNS runs × 50 atoms × 10 series summaries seeded with SQL, then
 * first and 200th pages of the query endpoint, one request at a time, per sort and filter.
 */
export async function benchRunTable(ctx: BenchContext) {
  const url = `${ctx.server.url}/api/v1/projects/${ctx.db.workspace}/${ctx.db.project}/runs/query`;
  const post = async (body: Body): Promise<{ ms: number; result: QueryResult }> => {
    const t0 = performance.now();
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${ctx.db.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`query ${JSON.stringify(body).slice(0, 200)} answered ${res.status}: ${text.slice(0, 500)}`);
    return { ms, result: JSON.parse(text) as QueryResult };
  };

  ctx.log(`table: seeding ${RUNS} runs`);
  const seedMeter = ctx.cpuMeter();
  await seedMeter.begin();
  const seed = await seedRuns(ctx.db.sql, { workspace: ctx.db.workspace, project: ctx.db.project, runs: RUNS, log: ctx.log });
  const seedCpu = await seedMeter.end();
  ctx.log(`table: seeded in ${round(seed.ms.total / 1000, 1)} s`);

  const results: Record<string, unknown> = {};
  const p95s: number[] = [];
  for (const c of CASES) {
    const deadline = performance.now() + CASE_TIME_LIMIT_MS;
    const check = (what: string) => {
      if (performance.now() > deadline) throw new Error(`${c.name}: ${what} exceeded ${CASE_TIME_LIMIT_MS / 1000} s`);
    };
    // Walk the cursor to page DEEP_PAGE - 1 (untimed); its nextCursor names page DEEP_PAGE.
    // With few runs (BENCH_TABLE_RUNS) the filter may match fewer: then the last page is timed.
    let body: Body = c.body;
    let page = 1;
    const walkMs: number[] = [];
    for (; page < c.page; page++) {
      check("cursor walk");
      const { ms, result } = await post(body);
      walkMs.push(ms);
      if (!result.nextCursor) break;
      body = { ...c.body, cursor: result.nextCursor };
    }
    for (let i = 0; i < WARMUP; i++) {
      check("warm-up");
      await post(body);
    }
    const meter = ctx.cpuMeter();
    await meter.begin();
    const latencies: number[] = [];
    let rows = 0;
    for (let i = 0; i < REPS; i++) {
      check("timed requests");
      const { ms, result } = await post(body);
      latencies.push(ms);
      rows = result.runs.length;
    }
    const cpu = await meter.end();
    const s = summarize(latencies);
    p95s.push(s.p95);
    ctx.log(`table: ${c.name} (page ${page}): p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (${rows} runs per page)`);
    results[c.name] = {
      description: c.description,
      page,
      runsPerPage: rows,
      ms: { p50: s.p50, p95: s.p95, max: s.max, mean: s.mean, count: s.count },
      pass: s.p95 < TARGET_P95_MS,
      cursorWalkMs: walkMs.length ? { pages: walkMs.length, ...pick(summarize(walkMs)) } : undefined,
      cpu,
    };
  }

  const failing = CASES.filter((_, i) => p95s[i] >= TARGET_P95_MS).map((c) => c.name);
  return {
    setup: {
      runs: RUNS, atomsPerRun: 50, seriesPerRun: 10, pageSize: PAGE, deepPage: DEEP_PAGE, columns: COLUMNS,
      warmupRequests: WARMUP, timedRequests: REPS, client: "one request at a time (fetch, keep-alive) from the bench process",
    },
    seed: { ...seed, cpu: seedCpu },
    cases: results,
    headline: `${RUNS} runs: p95 ${CASES.map((c, i) => `${c.name} ${p95s[i]} ms`).join(", ")}; seeded in ${round(seed.ms.total / 1000, 1)} s`,
    target: `p95 < ${TARGET_P95_MS} ms for every case`,
    pass: failing.length === 0,
    failing,
  };
}

const pick = (s: ReturnType<typeof summarize>) => ({ p50: s.p50, p95: s.p95, max: s.max });
