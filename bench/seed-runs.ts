import path from "node:path";
import { fileURLToPath } from "node:url";
import type postgres from "postgres";
import { createBenchDatabase } from "./harness/fresh-database";

/**
 * Seeds a run table straight into PostgreSQL: N runs (default 100,000) of the bench project,
 * each with 50 atoms (params/p00..p39 floats, params/s00..s04 strings, params/b00..b04 bools)
 * and 10 float series summaries (metrics/m0..m9, no points), plus tags on some runs.
 *
 * Values are a deterministic function of the run's ordinal (hashint8), so two seedings hold the
 * same values (run ids stay random, as the server makes them). Runs get consecutive numbers after
 * the project's run_counter, keys "<PROJECT KEY>-<number>", and run_counter is advanced to match.
 *
 * Speed: one transaction; the secondary indexes of `fields` are dropped and rebuilt from their own
 * definitions (pg_indexes.indexdef), and FK triggers are skipped (session_replication_role), the
 * usual bulk-load recipe. The schema afterwards is the migrated one. Then VACUUM ANALYZE.
 *
 * Idempotent per database: if the project already holds the seeded runs, nothing is done.
 *
 * Standalone: `BENCH_TABLE_RUNS=10000 node --import tsx bench/seed-runs.ts` creates a fresh
 * bench database, seeds it, prints its URL and leaves it for inspection (drop it afterwards).
 */

export const RUN_NAME_PREFIX = "table-";
const BATCH_RUNS = 10_000;

export const FLOAT_PARAMS = 40;
export const STRING_PARAMS = 5;
export const BOOL_PARAMS = 5;
export const SERIES = 10;

export type SeedReport = {
  runs: number;
  fieldRows: number;
  tagRows: number;
  skipped: boolean;
  ms: { runs: number; fields: number; tags: number; indexes: number; vacuum: number; total: number };
  sizesMiB: Record<string, number>;
};

// A uniform number in [0, 1) from the run ordinal `n` and a salt; same inputs, same value.
const u = (salt: number | string) => `((hashint8(s.n::bigint * 1024 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;

/** The float value of params/pKK, one distribution per parameter. */
function floatExpr(): string {
  // k < 3: uniform [0,1) (the filters and the sort rely on these); then by k % 5.
  const k = "p.k";
  const a = u(k);
  const b = u(`${k} + 500`);
  return `CASE
    WHEN ${k} < 3 THEN ${a}
    WHEN ${k} % 5 = 0 THEN exp(ln(1e-5) + ${a} * (ln(1e-1) - ln(1e-5)))                      -- log-uniform, like a learning rate
    WHEN ${k} % 5 = 1 THEN sqrt(-2 * ln(1 - ${a})) * cos(2 * pi() * ${b})                      -- normal(0, 1)
    WHEN ${k} % 5 = 2 THEN (ARRAY[16, 32, 64, 128, 256])[1 + floor(${a} * 5)::int]::float8  -- a few distinct values
    WHEN ${k} % 5 = 3 THEN -ln(1 - ${a}) * 10                                                -- exponential, skewed
    ELSE round((${a} * 1000)::numeric, 1)::float8                                             -- uniform with ties
  END`;
}

const VOCABULARIES: string[][] = [
  ["adam", "sgd", "adamw", "rmsprop"],
  ["resnet18", "resnet50", "vit-b", "vit-l", "convnext", "mlp"],
  ["cifar10", "cifar100", "imagenet", "mnist"],
  [], // s03: many distinct values (cfg-000..cfg-999)
  ["a", "b"],
];
const BOOL_PROBABILITY = [0.5, 0.1, 0.9, 0.3, 0.5];

function stringExpr(): string {
  const cases = VOCABULARIES.map((words, k) => {
    if (words.length === 0) return `WHEN ${k} THEN 'cfg-' || lpad(floor(${u(`${k} + 100`)} * 1000)::int::text, 3, '0')`;
    const list = words.map((w) => `'${w}'`).join(", ");
    return `WHEN ${k} THEN (ARRAY[${list}])[1 + floor(${u(`${k} + 100`)} * ${words.length})::int]`;
  });
  return `CASE p.k ${cases.join(" ")} END`;
}

function boolExpr(): string {
  return `CASE p.k ${BOOL_PROBABILITY.map((q, k) => `WHEN ${k} THEN ${u(`${k} + 200`)} < ${q}`).join(" ")} END`;
}

/** Seeds `runs` runs into workspace/project; see the file comment. */
export async function seedRuns(
  sql: postgres.Sql,
  opts: { workspace: string; project: string; runs: number; log?: (msg: string) => void },
): Promise<SeedReport> {
  const log = opts.log ?? ((msg: string) => console.error(`[seed ${new Date().toISOString().slice(11, 19)}] ${msg}`));
  const n = opts.runs;
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new Error(`runs must be 1..10,000,000, got ${n}`);
  const t0 = performance.now();
  const ms = { runs: 0, fields: 0, tags: 0, indexes: 0, vacuum: 0, total: 0 };

  const [project] = await sql<{ id: string; key: string; owner: string | null }[]>`
    SELECT p.id, p.key, (SELECT m.user_id FROM project_members m WHERE m.project_id = p.id AND m.role = 'owner' LIMIT 1) AS owner
    FROM projects p JOIN workspaces w ON w.id = p.workspace_id
    WHERE w.slug = ${opts.workspace} AND p.slug = ${opts.project}`;
  if (!project) throw new Error(`no project ${opts.workspace}/${opts.project}`);

  const [{ seeded }] = await sql<{ seeded: number }[]>`
    SELECT count(*)::int AS seeded FROM runs WHERE project_id = ${project.id} AND name LIKE ${RUN_NAME_PREFIX + "%"}`;
  if (seeded >= n) {
    log(`seed: ${seeded} runs already there, nothing to do`);
    const [{ fieldRows }] = await sql<{ fieldRows: number }[]>`SELECT count(*)::int AS "fieldRows" FROM fields WHERE project_id = ${project.id}`;
    return { runs: seeded, fieldRows, tagRows: 0, skipped: true, ms: { ...ms, total: Math.round(performance.now() - t0) }, sizesMiB: await sizes(sql) };
  }
  if (seeded > 0) throw new Error(`the project holds ${seeded} seeded runs, not ${n}: use a fresh database`);

  let fieldRows = 0;
  let tagRows = 0;
  await sql.begin(async (tx) => {
    const lap = (() => { let t = performance.now(); return () => { const d = performance.now() - t; t = performance.now(); return d; }; })();
    await tx.unsafe(`SET LOCAL session_replication_role = replica`); // no FK triggers: every row references a run made here
    await tx.unsafe(`SET LOCAL maintenance_work_mem = '512MB'`);
    await tx.unsafe(`SET LOCAL synchronous_commit = off`);
    const [{ base }] = await tx<{ base: number }[]>`
      UPDATE projects SET run_counter = run_counter + ${n} WHERE id = ${project.id} RETURNING run_counter - ${n} AS base`;

    // Secondary indexes of fields: drop now, rebuild from their exact definitions at the end.
    const indexes = await tx<{ name: string; def: string }[]>`
      SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename IN ('fields', 'run_tags')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`;
    for (const ix of indexes) await tx.unsafe(`DROP INDEX "${ix.name}"`);
    lap();

    // Runs: created one minute apart ending now; a mix of states.
    await tx.unsafe(`
      INSERT INTO runs (project_id, number, key, name, state, owner_id, created_at, modified_at, last_ping_at, finished_at)
      SELECT $1::uuid, $2::int + s.n, $3::text || '-' || ($2::int + s.n), '${RUN_NAME_PREFIX}' || s.n,
        st.state, $4::uuid, t.c, t.c + interval '30 seconds', t.c + interval '30 seconds',
        CASE WHEN st.state = 'running' THEN NULL ELSE t.c + interval '30 seconds' END
      FROM generate_series(1, $5::int) AS s(n)
      CROSS JOIN LATERAL (SELECT now() - ($5::int - s.n) * interval '1 minute' AS c) t
      CROSS JOIN LATERAL (SELECT (ARRAY['succeeded','succeeded','succeeded','failed','aborted','running'])[1 + floor(${u(900)} * 6)::int] AS state) st`,
    [project.id, base, project.key, project.owner, n]);
    ms.runs = Math.round(lap());
    log(`seed: ${n} runs in ${ms.runs} ms`);

    // Fields, BATCH_RUNS runs per statement. s.n is the run's ordinal (number - base).
    const paths = `
      SELECT 'params/p' || lpad(k::text, 2, '0') AS path, 'float' AS type, k FROM generate_series(0, ${FLOAT_PARAMS - 1}) k
      UNION ALL SELECT 'params/s' || lpad(k::text, 2, '0'), 'string', k FROM generate_series(0, ${STRING_PARAMS - 1}) k
      UNION ALL SELECT 'params/b' || lpad(k::text, 2, '0'), 'bool', k FROM generate_series(0, ${BOOL_PARAMS - 1}) k
      UNION ALL SELECT 'metrics/m' || k, 'floatSeries', k FROM generate_series(0, ${SERIES - 1}) k`;
    for (let from = 1; from <= n; from += BATCH_RUNS) {
      const to = Math.min(n, from + BATCH_RUNS - 1);
      const rows = await tx.unsafe(`
        INSERT INTO fields (run_id, project_id, path, type, num, str, bool, count, first_step, last_step, last, min, max, sort_last)
        SELECT s.id, s.project_id, p.path, p.type,
          CASE WHEN p.type = 'float' THEN ${floatExpr()} END,
          CASE WHEN p.type = 'string' THEN ${stringExpr()} END,
          CASE WHEN p.type = 'bool' THEN ${boolExpr()} END,
          ser.cnt, CASE WHEN ser.cnt IS NOT NULL THEN 0 END, ser.cnt - 1,
          ser.lo + (ser.hi - ser.lo) * ser.f, ser.lo, ser.hi, ser.lo + (ser.hi - ser.lo) * ser.f
        FROM (SELECT r.id, r.project_id, r.number - $2::int AS n FROM runs r
              WHERE r.project_id = $1::uuid AND r.number BETWEEN $2::int + $3::int AND $2::int + $4::int) s
        CROSS JOIN (${paths}) p
        CROSS JOIN LATERAL (
          SELECT CASE WHEN p.type = 'floatSeries' THEN 100 + floor(${u("p.k + 300")} * 9900)::bigint END AS cnt,
                 ${u("p.k + 400")} * 0.5 * (1 + p.k) AS lo,
                 ${u("p.k + 400")} * 0.5 * (1 + p.k) + 0.5 + ${u("p.k + 450")} * 2 AS hi,
                 power(${u("p.k + 350")}, 2) AS f
        ) ser0
        CROSS JOIN LATERAL (SELECT ser0.cnt, CASE WHEN ser0.cnt IS NOT NULL THEN ser0.lo END AS lo,
                                   CASE WHEN ser0.cnt IS NOT NULL THEN ser0.hi END AS hi, ser0.f) ser
        -- params/p30..p39 are sparse: each present in about 70% of the runs
        WHERE NOT (p.type = 'float' AND p.k >= 30 AND ${u("p.k + 600")} >= 0.7)`,
      [project.id, base, from, to]);
      fieldRows += rows.count;
      ms.fields += lap();
      log(`seed: fields of runs ${from}..${to}: ${fieldRows} rows, ${Math.round(ms.fields / 1000)} s`);
    }
    ms.fields = Math.round(ms.fields);

    const tags = await tx.unsafe(`
      INSERT INTO run_tags (run_id, tag, project_id)
      SELECT s.id, t.tag, s.project_id
      FROM (SELECT r.id, r.project_id, r.number - $2::int AS n FROM runs r WHERE r.project_id = $1::uuid AND r.name LIKE '${RUN_NAME_PREFIX}%') s
      CROSS JOIN LATERAL (
        SELECT 'baseline' AS tag WHERE ${u(700)} < 0.05
        UNION ALL SELECT 'sweep-' || floor(${u(701)} * 20)::int WHERE ${u(702)} < 0.6
        UNION ALL SELECT 'reviewed' WHERE ${u(703)} < 0.2) t`,
    [project.id, base]);
    tagRows = tags.count;
    ms.tags = Math.round(lap());
    log(`seed: ${tagRows} tags in ${ms.tags} ms`);

    for (const ix of indexes) {
      await tx.unsafe(ix.def);
      log(`seed: rebuilt ${ix.name} (${Math.round(lap())} ms)`);
    }
  });
  const tCommit = performance.now();
  ms.indexes = Math.round(tCommit - t0 - ms.runs - ms.fields - ms.tags); // rebuild + commit
  // VACUUM sets the visibility map (index-only scans), ANALYZE the statistics a live database has.
  await sql.unsafe(`VACUUM (ANALYZE) runs, fields, run_tags, projects`);
  ms.vacuum = Math.round(performance.now() - tCommit);
  ms.total = Math.round(performance.now() - t0);
  log(`seed: vacuum analyze ${ms.vacuum} ms; total ${Math.round(ms.total / 1000)} s`);
  return { runs: n, fieldRows, tagRows, skipped: false, ms, sizesMiB: await sizes(sql) };
}

async function sizes(sql: postgres.Sql): Promise<Record<string, number>> {
  const rows = await sql<{ name: string; bytes: string }[]>`
    SELECT c.relname AS name, pg_relation_size(c.oid)::text AS bytes FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i')
      AND (c.relname IN ('runs', 'fields', 'run_tags') OR c.relname LIKE 'runs\\_%' OR c.relname LIKE 'fields\\_%' OR c.relname LIKE 'run\\_tags\\_%')
    ORDER BY c.relname`;
  return Object.fromEntries(rows.map((r) => [r.name, Math.round(Number(r.bytes) / 2 ** 20)]));
}

async function main() {
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const db = await createBenchDatabase(baseUrl);
  try {
    const report = await seedRuns(db.sql, { workspace: db.workspace, project: db.project, runs: Number(process.env.BENCH_TABLE_RUNS ?? 100_000) });
    process.stdout.write(JSON.stringify({ database: db.name, url: db.url, apiKey: db.apiKey, ...report }, null, 2) + "\n");
    console.error(`left database ${db.name} in place; drop it with: psql ${baseUrl} -c 'DROP DATABASE ${db.name} WITH (FORCE)'`);
  } finally {
    await db.sql.end({ timeout: 5 });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
