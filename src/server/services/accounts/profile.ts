import { sql } from "drizzle-orm";
import { ChangePasswordInput, PersonName } from "@/contracts/accounts";
import { userIdOf } from "@/server/authz/actor";
import { hashPassword, verifyPassword } from "@/server/auth/passwords";
import { invalid, notFound } from "@/server/errors";
import { parseInput } from "../parse-input";
import { refundAttempt, reserveAttempt } from "./sign-in-throttle";
import type { Ctx } from "../context";

export async function updateName(ctx: Ctx, raw: { name: unknown }): Promise<{ name: string }> {
  const name = parseInput(PersonName, raw.name, "name");
  await ctx.database.rows(sql`UPDATE users SET name = ${name} WHERE id = ${userIdOf(ctx.actor)}`);
  return { name };
}

/**
 * Needs the current password (when the account has one), so a left-open session cannot take the
 * account over. Guesses at it count like failed sign-ins (same throttle, same waits), so a
 * session is no way around sign-in's limits; `clientIp` is the caller's address when known.
 */
export async function changePassword(ctx: Ctx & { clientIp?: string }, raw: unknown, now: () => number = Date.now): Promise<{ changed: true }> {
  const input = parseInput(ChangePasswordInput, raw);
  const [u] = await ctx.database.rows<{ email: string; password_hash: string | null }>(sql`
    SELECT email, password_hash FROM users WHERE id = ${userIdOf(ctx.actor)}`);
  if (!u) throw notFound("account");
  if (u.password_hash) {
    if (!input.current) throw invalid("is required", "current");
    const attempt = { email: u.email, ip: ctx.clientIp ?? "unknown" };
    await reserveAttempt(ctx.database, attempt, now());
    if (!(await verifyPassword(input.current, u.password_hash))) throw invalid("is not your current password", "current");
    await refundAttempt(ctx.database, attempt);
  }
  await ctx.database.rows(sql`UPDATE users SET password_hash = ${await hashPassword(input.next)} WHERE id = ${userIdOf(ctx.actor)}`);
  return { changed: true };
}
