import { sql } from "drizzle-orm";
import { burnPasswordTime, verifyPassword } from "@/server/auth/passwords";
import type { Database } from "@/server/db/client";
import { refundAttempt, reserveAttempt } from "./sign-in-throttle";

export type SignedIn = { id: string; email: string; name: string | null };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * Checks an e-mail and password. Returns null for any mismatch (unknown address, wrong
 * password, disabled or password-less account) so the caller can only say "wrong email or
 * password"; throws 429 (SignInThrottled, with the wait) when this account from this client
 * address, the account overall, or the address overall has to slow down. `now` is the clock.
 */
export async function signInWithPassword(
  database: Database, input: { email: string; password: string; ip: string }, now: () => number = Date.now,
): Promise<SignedIn | null> {
  const email = normalizeEmail(input.email);
  const attempt = { email, ip: input.ip };
  await reserveAttempt(database, attempt, now());
  const [user] = await database.rows<{ id: string; email: string; name: string | null; password_hash: string | null; disabled_at: Date | null }>(sql`
    SELECT id, email, name, password_hash, disabled_at FROM users WHERE email = ${email} AND kind = 'person'`);
  const ok = user?.password_hash ? await verifyPassword(input.password, user.password_hash) : (await burnPasswordTime(input.password), false);
  if (!ok || !user || user.disabled_at) return null;
  await refundAttempt(database, attempt);
  return { id: user.id, email: user.email, name: user.name };
}
