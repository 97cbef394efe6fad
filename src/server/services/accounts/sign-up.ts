import { sql } from "drizzle-orm";
import { SignUpInput } from "@/contracts/accounts";
import { hashPassword } from "@/server/auth/passwords";
import type { Database, Db } from "@/server/db/client";
import { conflict, forbidden } from "@/server/errors";
import { parseInput } from "../parse-input";
import { openSignUp } from "./instance-settings";

const taken = () => conflict("an account with this e-mail already exists; sign in instead", "email");

/** 409 when the address is taken: checked before hashing a new password, so a refusal is cheap. */
export async function assertEmailFree(database: Database, email: string, tx?: Db): Promise<void> {
  const [row] = await database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = ${email}`, tx);
  if (row) throw taken();
}

/** Inserts a person with an already hashed password inside `tx`; 409 when the address is taken. */
export async function createPersonIn(database: Database, tx: Db, input: { name: string; email: string; passwordHash: string }): Promise<{ id: string }> {
  const [user] = await database.rows<{ id: string }>(sql`
    INSERT INTO users (email, name, password_hash) VALUES (${input.email}, ${input.name}, ${input.passwordHash})
    ON CONFLICT (email) DO NOTHING RETURNING id`, tx);
  if (!user) throw taken();
  return user;
}

/**
 * Open sign-up, when the instance admin allows it. The new account belongs to no workspace yet.
 * Refusals come before the password is hashed; the transaction checks again in case the
 * setting or the address changed meanwhile.
 */
export async function signUp(database: Database, raw: unknown): Promise<{ userId: string }> {
  const input = parseInput(SignUpInput, raw);
  const closed = () => forbidden("sign-up is by invitation on this server");
  if (!(await openSignUp(database))) throw closed();
  await assertEmailFree(database, input.email);
  const passwordHash = await hashPassword(input.password);
  return database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    if (!(await openSignUp(database, tx))) throw closed();
    const user = await createPersonIn(database, tx, { name: input.name, email: input.email, passwordHash });
    return { userId: user.id };
  });
}
