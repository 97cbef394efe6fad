import { sql } from "drizzle-orm";
import { SignUpInput } from "@/contracts/accounts";
import { hashPassword } from "@/server/auth/passwords";
import type { Database, Db } from "@/server/db/client";
import { conflict, forbidden } from "@/server/errors";
import { parseInput } from "../parse-input";
import { openSignUp } from "./instance-settings";

/** Inserts a person with a password inside `tx`; 409 when the address is taken. */
export async function createPersonIn(database: Database, tx: Db, input: { name: string; email: string; password: string }): Promise<{ id: string }> {
  const passwordHash = await hashPassword(input.password);
  const [user] = await database.rows<{ id: string }>(sql`
    INSERT INTO users (email, name, password_hash) VALUES (${input.email}, ${input.name}, ${passwordHash})
    ON CONFLICT (email) DO NOTHING RETURNING id`, tx);
  if (!user) throw conflict("an account with this e-mail already exists; sign in instead", "email");
  return user;
}

/** Open sign-up, when the instance admin allows it. The new account belongs to no workspace yet. */
export async function signUp(database: Database, raw: unknown): Promise<{ userId: string }> {
  const input = parseInput(SignUpInput, raw);
  return database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    if (!(await openSignUp(database, tx))) throw forbidden("sign-up is by invitation on this server");
    const user = await createPersonIn(database, tx, input);
    return { userId: user.id };
  });
}
