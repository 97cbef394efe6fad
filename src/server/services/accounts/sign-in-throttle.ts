import { sql } from "drizzle-orm";
import { textArray } from "@/server/db/arrays";
import type { Database } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { inTransaction } from "../in-transaction";

/*
 * Three counters per attempt, kept in the database so every process behind a load balancer
 * shares them (table sign_in_failures: bucket, window_start, failures):
 *  - pair (account + client address): the first few failures are free, then each further
 *    attempt waits twice as long as the last, up to a cap. An attacker slows only themselves:
 *    the owner signing in from another address has a pair of their own.
 *  - account (all addresses): a ceiling that slows and never locks — a burst, then one attempt
 *    per interval (a generic cell rate algorithm; window_start holds the theoretical arrival time).
 *  - address (all accounts): the same, so one address cannot spray guesses over many accounts.
 * An attempt is counted before the password is checked (so parallel guesses cannot slip past
 * the check together) and refunded when it succeeds.
 */
export const PAIR = { free: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000 } as const;
export const ACCOUNT = { burst: 20, intervalMs: 6_000 } as const;
export const ADDRESS = { burst: 50, intervalMs: 15_000 } as const;

export type Attempt = { email: string; ip: string };
type Row = { bucket: string; window_start: Date | string; failures: number };

const pairName = (a: Attempt) => `pair:${a.email} ${a.ip}`;
const accountName = (a: Attempt) => `account:${a.email}`;
const addressName = (a: Attempt) => `address:${a.ip}`;

/** 429 with how long to wait; callers (and tests) read `retryAfterMs`. */
export class SignInThrottled extends AppError {
  constructor(readonly retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
    super("rate_limited", `too many failed sign-ins; try again in ${wait}`);
  }
}

/** The wait a pair imposes after `failures` counted attempts, the last at `lastMs`. */
export function pairWaitMs(failures: number, lastMs: number, nowMs: number): number {
  if (nowMs - lastMs >= PAIR.forgetAfterMs || failures < PAIR.free) return 0;
  const delay = Math.min(PAIR.maxDelayMs, PAIR.firstDelayMs * 2 ** (failures - PAIR.free));
  return Math.max(0, lastMs + delay - nowMs);
}

/** The wait a rate bucket imposes: until one more attempt fits within the burst. */
export function rateWaitMs(tatMs: number, nowMs: number, rate: { burst: number; intervalMs: number }): number {
  const next = Math.max(tatMs, nowMs) + rate.intervalMs;
  return Math.max(0, next - nowMs - rate.burst * rate.intervalMs);
}

/** Counts one attempt against all three buckets, or throws SignInThrottled (counting nothing). */
export async function reserveAttempt(database: Database, attempt: Attempt, nowMs: number): Promise<void> {
  const names = [pairName(attempt), accountName(attempt), addressName(attempt)].sort();
  await inTransaction(database, async (tx) => {
    await database.rows(sql`
      INSERT INTO sign_in_failures (bucket, window_start, failures)
      SELECT b, to_timestamp(0), 0 FROM unnest(${textArray(names)}::text[]) AS b ORDER BY b
      ON CONFLICT (bucket) DO NOTHING`, tx);
    const rows = await database.rows<Row>(sql`
      SELECT bucket, window_start, failures FROM sign_in_failures
      WHERE bucket = ANY(${textArray(names)}::text[]) ORDER BY bucket FOR UPDATE`, tx);
    const byName = new Map(rows.map((r) => [r.bucket, { at: new Date(r.window_start).getTime(), failures: r.failures }]));
    const pair = byName.get(pairName(attempt))!;
    const account = byName.get(accountName(attempt))!;
    const address = byName.get(addressName(attempt))!;
    const wait = Math.max(
      pairWaitMs(pair.failures, pair.at, nowMs), rateWaitMs(account.at, nowMs, ACCOUNT), rateWaitMs(address.at, nowMs, ADDRESS));
    if (wait > 0) throw new SignInThrottled(wait);

    const pairFailures = nowMs - pair.at >= PAIR.forgetAfterMs ? 1 : pair.failures + 1;
    await write(database, tx, pairName(attempt), nowMs, pairFailures);
    await write(database, tx, accountName(attempt), Math.max(account.at, nowMs) + ACCOUNT.intervalMs, account.failures + 1);
    await write(database, tx, addressName(attempt), Math.max(address.at, nowMs) + ADDRESS.intervalMs, address.failures + 1);
  });
}

async function write(database: Database, tx: Parameters<Database["rows"]>[1], bucket: string, atMs: number, failures: number) {
  await database.rows(sql`
    UPDATE sign_in_failures SET window_start = ${new Date(atMs).toISOString()}::timestamptz, failures = ${failures}
    WHERE bucket = ${bucket}`, tx);
}

/** A successful sign-in: the pair starts over, and its attempt no longer counts against the ceilings. */
export async function refundAttempt(database: Database, attempt: Attempt): Promise<void> {
  await database.rows(sql`DELETE FROM sign_in_failures WHERE bucket = ${pairName(attempt)}`);
  await database.rows(sql`
    UPDATE sign_in_failures SET failures = greatest(failures - 1, 0),
      window_start = window_start - (CASE WHEN bucket = ${accountName(attempt)} THEN ${ACCOUNT.intervalMs}::int ELSE ${ADDRESS.intervalMs}::int END
        * interval '1 millisecond')
    WHERE bucket IN (${accountName(attempt)}, ${addressName(attempt)})`);
}
