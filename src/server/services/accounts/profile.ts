import { sql } from "drizzle-orm";
import { ChangePasswordInput, PersonName } from "@/contracts/accounts";
import { userIdOf } from "@/server/authz/actor";
import { hashPassword, verifyPassword } from "@/server/auth/passwords";
import { invalid, notFound } from "@/server/errors";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";

export async function updateName(ctx: Ctx, raw: { name: unknown }): Promise<{ name: string }> {
  const name = parseInput(PersonName, raw.name, "name");
  await ctx.database.rows(sql`UPDATE users SET name = ${name} WHERE id = ${userIdOf(ctx.actor)}`);
  return { name };
}

/** Needs the current password (when the account has one), so a left-open session cannot take the account over. */
export async function changePassword(ctx: Ctx, raw: unknown): Promise<{ changed: true }> {
  const input = parseInput(ChangePasswordInput, raw);
  const [u] = await ctx.database.rows<{ password_hash: string | null }>(sql`SELECT password_hash FROM users WHERE id = ${userIdOf(ctx.actor)}`);
  if (!u) throw notFound("account");
  if (u.password_hash && !(await verifyPassword(input.current, u.password_hash))) throw invalid("is not your current password", "current");
  await ctx.database.rows(sql`UPDATE users SET password_hash = ${await hashPassword(input.next)} WHERE id = ${userIdOf(ctx.actor)}`);
  return { changed: true };
}
