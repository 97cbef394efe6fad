import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createBenchDatabase } from "../harness/fresh-database";
import { startServerProcess } from "../harness/server-process";
import { makeContext } from "../harness/context";
import { startLoadClient } from "../load/client";
import { summarizeCpuProfile } from "./cpu-profile-summary";

// Where does the time go? `node --import tsx bench/profile/run-profile.ts ingest|small|seed`
// runs one load against the instrumented server (SQL statement and transaction timings) under
// --cpu-prof, and prints both summaries. Not part of `npm run bench`.

const scenario = process.argv[2] ?? "ingest";
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (m: string) => console.error(`[profile] ${m}`);
const INCLUSIVE = [
  "readJson", "parseOpsBatch", "parseAppend", "submitOps", "authenticateKey", "applyGroup", "planBatch", "writePoints",
  "foldIntoBlocks", "floatArray", "intArray", "textArray", "publishOutcome", "sendJson", "commit",
];

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const db = await createBenchDatabase(baseUrl);
// e.g. BENCH_PG_SETTINGS="log_min_duration_statement=0" to have PostgreSQL log each statement's own time.
for (const setting of (process.env.BENCH_PG_SETTINGS ?? "").split(",").filter(Boolean)) {
  const [name, value] = setting.split("=");
  await db.sql.unsafe(`ALTER DATABASE ${db.name} SET ${name} = '${value.replace(/'/g, "''")}'`);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-profile-"));
const sqlOut = path.join(work, "sql.json");
const cpuProf = !process.argv.includes("--no-cpu-prof");
const server = await startServerProcess({
  databaseUrl: db.url,
  entry: path.join(here, "instrumented-server.ts"),
  nodeArgs: cpuProf ? ["--cpu-prof", "--cpu-prof-dir", work] : [],
  env: { BENCH_PROFILE_OUT: sqlOut },
});
const client = startLoadClient();
const ctx = makeContext(db, server, client, log);
try {
  const meter = ctx.cpuMeter();
  let result: unknown;
  if (scenario === "ingest" || scenario === "seed") {
    const seed = scenario === "seed";
    const runIds = await ctx.createRuns(seed ? 1 : 4, scenario);
    if (seed) await client.run("prepareSeed", { port: server.port, key: db.apiKey, runId: runIds[0], path: "train/loss", total: 2_000_000, batch: 100_000, seed: 1 });
    else await client.run("prepareIngest", { port: server.port, key: db.apiKey, runIds, path: "train/loss", requestsPerWriter: 50, pointsPerRequest: 10_000, seed: 1 });
    await meter.begin();
    const r = await client.run("runPrepared", { port: server.port, timeLimitMs: 600_000 });
    result = { ...r, pointsPerS: Math.round(r.points / (r.elapsedMs / 1000)), cpu: await meter.end() };
  } else if (scenario === "small") {
    const runIds = await ctx.createRuns(50, "small");
    await meter.begin();
    const [r] = await client.run("smallRequests", { port: server.port, key: db.apiKey, runIds, writers: 50, path: "step/loss", warmupMs: 0, durationMs: 10_000, reps: 1, maxRequestsPerRep: 500_000 });
    result = { ...r, requestsPerS: Math.round(r.requests / (r.elapsedMs / 1000)), cpu: await meter.end() };
  } else {
    throw new Error(`unknown scenario ${scenario}: ingest, small or seed`);
  }
  client.close();
  await server.stop();
  const sql = JSON.parse(fs.readFileSync(sqlOut, "utf8"));
  const prof = fs.readdirSync(work).find((f) => f.endsWith(".cpuprofile"));
  const report = { scenario, result, sql, cpuProfile: prof ? summarizeCpuProfile(path.join(work, prof), 30, INCLUSIVE) : null };
  const outDir = path.join(here, "..", "out");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `profile-${scenario}.json`), JSON.stringify(report, null, 1) + "\n");
  console.log(JSON.stringify(report, null, 1));
} finally {
  client.close();
  await server.stop();
  await db.drop();
  fs.rmSync(work, { recursive: true, force: true });
}
