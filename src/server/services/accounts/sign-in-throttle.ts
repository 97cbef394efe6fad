import { sql } from "drizzle-orm";
import { textArray } from "@/server/db/arrays";
import type { Database } from "@/server/db/client";
import { AppError } from "@/server/errors";

// Fixed windows, counted in the database so every process behind a load balancer shares them.
const WINDOW_MS = 15 * 60 * 1000;
export const LIMITS = { email: 10, ip: 50 } as const;

type Bucket = { kind: keyof typeof LIMITS; value: string };
const name = (b: Bucket) => `${b.kind}:${b.value}`;

/** Refuses with 429 when the account or the address has failed too often in this window. */
export async function checkThrottle(database: Database, buckets: Bucket[]): Promise<void> {
  const names = buckets.map(name);
  const rows = await database.rows<{ bucket: string; failures: number; window_start: Date | string }>(sql`
    SELECT bucket, failures, window_start FROM sign_in_failures WHERE bucket = ANY(${textArray(names)}::text[])`);
  for (const row of rows) {
    const kind = row.bucket.slice(0, row.bucket.indexOf(":")) as Bucket["kind"];
    const age = Date.now() - new Date(row.window_start).getTime();
    if (age < WINDOW_MS && row.failures >= LIMITS[kind]) {
      const minutes = Math.max(1, Math.ceil((WINDOW_MS - age) / 60_000));
      throw new AppError("rate_limited", `too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`);
    }
  }
}

/** Counts one failure against each bucket, starting a new window when the last one ran out. */
export async function recordFailure(database: Database, buckets: Bucket[]): Promise<void> {
  const cutoff = new Date(Date.now() - WINDOW_MS).toISOString();
  for (const bucket of buckets) {
    await database.rows(sql`
      INSERT INTO sign_in_failures (bucket, window_start, failures) VALUES (${name(bucket)}, now(), 1)
      ON CONFLICT (bucket) DO UPDATE SET
        failures = CASE WHEN sign_in_failures.window_start < ${cutoff}::timestamptz THEN 1 ELSE sign_in_failures.failures + 1 END,
        window_start = CASE WHEN sign_in_failures.window_start < ${cutoff}::timestamptz THEN now() ELSE sign_in_failures.window_start END`);
  }
}

export async function clearFailures(database: Database, bucket: Bucket): Promise<void> {
  await database.rows(sql`DELETE FROM sign_in_failures WHERE bucket = ${name(bucket)}`);
}
