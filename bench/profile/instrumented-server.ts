import fs from "node:fs";
import type { SQL } from "drizzle-orm";
import { openDatabase, type Db } from "@/server/db/client";
import { loadEnv } from "@/server/env";
import { startServer } from "@/server/start-server";

// Diagnosis only (bench/profile/run-profile.ts starts it): the real server, in its own
// process, with the database wrapper timed per statement and the group writer timed per
// transaction. Writes a JSON summary to BENCH_PROFILE_OUT on SIGTERM.

type Stat = { n: number; ms: number; max: number };
const stats = new Map<string, Stat>();
const note = (key: string, ms: number) => {
  const s = stats.get(key) ?? { n: 0, ms: 0, max: 0 };
  s.n++;
  s.ms += ms;
  if (ms > s.max) s.max = ms;
  stats.set(key, s);
};

/** The statement's first words, from drizzle's first string chunk. */
function statementKey(query: SQL): string {
  const first = query.queryChunks[0] as { value?: string[] } | undefined;
  return (first?.value?.join("") ?? "?").replace(/\s+/g, " ").trim().slice(0, 70);
}

const env = loadEnv();
const database = await openDatabase({ url: env.databaseUrl });
const rows = database.rows.bind(database);
database.rows = async <T>(query: SQL, tx?: Db) => {
  const t0 = performance.now();
  try {
    return await rows<T>(query, tx);
  } finally {
    note(`sql ${statementKey(query)}`, performance.now() - t0);
  }
};
const server = await startServer(env, { database, web: false });
const writer = server.services.writer as unknown as { transact(group: { batch: { pointCount: number } }[]): Promise<unknown> };
const transact = writer.transact.bind(writer);
let groups = 0;
let batches = 0;
let points = 0;
writer.transact = async (group) => {
  groups++;
  batches += group.length;
  points += group.reduce((n, g) => n + g.batch.pointCount, 0);
  const t0 = performance.now();
  try {
    return await transact(group);
  } finally {
    note("transaction (BEGIN..COMMIT)", performance.now() - t0);
  }
};
console.error(`instrumented server on ${server.url}`);

process.on("SIGTERM", async () => {
  await server.close();
  const table = [...stats.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([key, s]) => ({ key, n: s.n, totalMs: Math.round(s.ms), meanMs: Number((s.ms / s.n).toFixed(3)), maxMs: Number(s.max.toFixed(1)) }));
  const summary = { groups, batches, points, meanBatchesPerGroup: Number((batches / Math.max(1, groups)).toFixed(1)), stats: table };
  fs.writeFileSync(process.env.BENCH_PROFILE_OUT ?? "/dev/stdout", JSON.stringify(summary, null, 1) + "\n");
  process.exit(0);
});
