import { sql } from "drizzle-orm";
import { burnPasswordTime, verifyPassword } from "@/server/auth/passwords";
import type { Database } from "@/server/db/client";
import { checkThrottle, clearFailures, recordFailure } from "./sign-in-throttle";

export type SignedIn = { id: string; email: string; name: string | null };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * Checks an e-mail and password. Returns null for any mismatch (unknown address, wrong
 * password, disabled or password-less account) so the caller can only say "wrong email or
 * password"; throws 429 when the account or the address has failed too often.
 */
export async function signInWithPassword(database: Database, input: { email: string; password: string; ip: string }): Promise<SignedIn | null> {
  const email = normalizeEmail(input.email);
  const buckets = [{ kind: "email" as const, value: email }, { kind: "ip" as const, value: input.ip }];
  await checkThrottle(database, buckets);
  const [user] = await database.rows<{ id: string; email: string; name: string | null; password_hash: string | null; disabled_at: Date | null }>(sql`
    SELECT id, email, name, password_hash, disabled_at FROM users WHERE email = ${email} AND kind = 'person'`);
  const ok = user?.password_hash ? await verifyPassword(input.password, user.password_hash) : (await burnPasswordTime(input.password), false);
  if (!ok || !user || user.disabled_at) {
    await recordFailure(database, buckets);
    return null;
  }
  await clearFailures(database, buckets[0]);
  return { id: user.id, email: user.email, name: user.name };
}
