import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { createBenchDatabase, type BenchDatabase } from "./harness/fresh-database";
import { startServerProcess, type ServerProcess } from "./harness/server-process";
import { machineInfo } from "./harness/machine-info";
import { waitForQuiet } from "./harness/cpu-meter";
import { makeContext, type BenchContext } from "./harness/context";
import { startLoadClient, type LoadClient } from "./load/client";
import { benchIngest } from "./ingest-throughput";
import { benchSmallRequests } from "./small-requests";
import { benchSeriesRead } from "./series-read";
import { benchSdkAppendGuarded } from "./sdk-append-guard";
import { benchRunTable } from "./run-table";
import { benchTableBrowser } from "./table-browser";
import { benchLiveLatency } from "./live-latency";

// Usage: npm run bench [-- ingest small series sdk table live]   (no names: all but the explicit-only ones)
// The SDK microbenchmark goes first, while this process is still small and quiet.
// `explicit` benchmarks (long seeding) run only when named.
const benches: Record<string, { key: string; server: boolean; explicit?: boolean; run: (ctx: BenchContext) => Promise<unknown> }> = {
  sdk: { key: "sdkAppend", server: false, run: () => benchSdkAppendGuarded() },
  ingest: { key: "ingest", server: true, run: benchIngest },
  small: { key: "smallRequests", server: true, run: benchSmallRequests },
  series: { key: "seriesRead", server: true, run: benchSeriesRead },
  table: { key: "runTable", server: true, explicit: true, run: benchRunTable },
  "table-browser": { key: "tableBrowser", server: true, explicit: true, run: benchTableBrowser },
  // Starts its own server with pages (needs a production build) and Chromium.
  live: { key: "liveLatency", server: false, explicit: true, run: () => benchLiveLatency((msg) => log(msg)) },
};
const aliases: Record<string, string> = { "small-requests": "small", "series-read": "series", "sdk-append": "sdk", "run-table": "table", "live-latency": "live" };

/** The largest share of other work on the machine seen in any CPU report of a result, in cores. */
function maxOtherCores(value: unknown): number {
  if (!value || typeof value !== "object") return 0;
  const v = value as Record<string, unknown>;
  let max = typeof v.otherS === "number" && typeof v.wallS === "number" && v.wallS > 0 ? v.otherS / v.wallS : 0;
  for (const child of Object.values(v)) max = Math.max(max, maxOtherCores(child));
  return max;
}

/** Which code was measured: commit, and the files under src/ that differ from it. */
function codeVersion(): { commit: string; uncommittedSrc: string[] } {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: path.dirname(fileURLToPath(import.meta.url)), encoding: "utf8" });
  try {
    return {
      commit: git("rev-parse", "--short", "HEAD").trim(),
      uncommittedSrc: git("status", "--porcelain", "--", "../src").split("\n").filter(Boolean).map((l) => l.trim()),
    };
  } catch {
    return { commit: "unknown", uncommittedSrc: [] };
  }
}

const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main() {
  const names = process.argv.slice(2).map((n) => aliases[n] ?? n);
  const unknown = names.filter((n) => !benches[n]);
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(benches).join(", ")}`);
  const selected = Object.keys(benches).filter((n) => (names.length === 0 ? !benches[n].explicit : names.includes(n)));
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

  const started = new Date();
  const code = codeVersion();
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  const machine = await machineInfo(admin).finally(() => admin.end());
  const results: Record<string, unknown> = {};

  let db: BenchDatabase | null = null;
  let server: ServerProcess | null = null;
  let client: LoadClient | null = null;
  const cleanup = async () => {
    client?.close();
    await server?.stop();
    await db?.drop();
    client = null;
    server = null;
    db = null;
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  process.once("SIGTERM", () => void cleanup().finally(() => process.exit(143)));

  try {
    let ctx: BenchContext | null = null;
    for (const name of selected) {
      const b = benches[name];
      if (b.server && !ctx) {
        db = await createBenchDatabase(baseUrl);
        log(`database ${db.name}`);
        server = await startServerProcess({ databaseUrl: db.url, nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) });
        log(`server pid ${server.pid} at ${server.url}`);
        client = startLoadClient();
        ctx = makeContext(db, server, client, log);
      }
      // This machine is shared: give other work up to BENCH_QUIET_WAIT_S to calm down first.
      const quiet = await waitForQuiet(0.3, Number(process.env.BENCH_QUIET_WAIT_S ?? 60));
      log(`${name}: start (machine busy ${quiet.busyCores} cores before, waited ${quiet.waitedS} s)`);
      const t0 = performance.now();
      try {
        const result = (await b.run(ctx!)) as Record<string, unknown>;
        // Other processes on this 2-core machine skew results; say how much, so a reader can tell.
        if (b.server) {
          result.noise = {
            busyCoresBefore: quiet.busyCores,
            maxOtherCores: Number(maxOtherCores(result).toFixed(2)),
            note: "CPU cores used by other processes just before and during the measurements (0 = quiet machine)",
          };
        }
        results[b.key] = result;
      } catch (error) {
        log(`${name}: FAILED ${(error as Error).stack ?? error}`);
        results[b.key] = { error: String((error as Error).message ?? error), serverLog: server?.tail() };
      }
      log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await cleanup();
  }

  const summary = Object.fromEntries(Object.entries(results).map(([key, r]) => {
    const x = r as { headline?: string; target?: string; pass?: boolean; error?: string; skipped?: boolean; nsPerCall?: number; note?: string };
    if (x.error) return [key, { error: x.error }];
    if (key === "sdkAppend") return [key, x.skipped ? { skipped: x.note } : { headline: `${x.nsPerCall} ns per append` }];
    return [key, { headline: x.headline, target: x.target, pass: x.pass }];
  }));
  const report = { date: started.toISOString(), durationS: Math.round((Date.now() - started.getTime()) / 1000), code, machine, summary, results };
  const text = JSON.stringify(report, null, 2);
  const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "out");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "latest.json"), text + "\n");
  process.stdout.write(text + "\n");
  if (Object.values(results).some((r) => (r as { error?: string }).error)) process.exitCode = 1;
}

main().catch((error) => {
  log(`failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
