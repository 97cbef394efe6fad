import { sql } from "drizzle-orm";
import { FirstAdminInput } from "@/contracts/accounts";
import { hashPassword } from "@/server/auth/passwords";
import { setupTokenMatches } from "@/server/auth/setup-token";
import type { Db } from "@/server/db/client";
import { conflict, forbidden, unauthorized } from "@/server/errors";
import type { Services } from "../context";
import { parseInput } from "../parse-input";
import { createWorkspaceIn, type CreatedWorkspace } from "../workspaces/create-workspace";
import { needsSetup } from "./instance-settings";

/**
 * The first visit to a fresh server: creates the instance admin and their workspace. Only
 * once: the `setup.done` row makes a second attempt (another tab, another process) a 409.
 * Every refusal comes before the password is hashed, so refused calls cost no scrypt time.
 */
export async function setupFirstAdmin(services: Pick<Services, "database" | "auth">, raw: unknown): Promise<{ userId: string; workspace: CreatedWorkspace }> {
  const { database, auth } = services;
  const input = parseInput(FirstAdminInput, raw);
  if (!(await needsSetup(database))) throw conflict("this server is already set up; sign in instead");
  if (auth.setupToken !== null) {
    if (!input.setupToken) throw unauthorized("set-up needs the set-up token: open the set-up link the server printed at start");
    if (!setupTokenMatches(auth.setupToken, input.setupToken)) throw forbidden("setupToken: is not this server's set-up token");
  }
  const passwordHash = await hashPassword(input.password);
  return database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [claimed] = await database.rows<{ key: string }>(sql`
      INSERT INTO instance_settings (key, value) VALUES ('setup.done', 'true'::jsonb)
      ON CONFLICT (key) DO NOTHING RETURNING key`, tx);
    if (!claimed) throw conflict("this server is already set up; sign in instead");
    // The admin CLI may have created this address already (without a password): adopt it.
    const [user] = await database.rows<{ id: string }>(sql`
      INSERT INTO users (email, name, password_hash, is_instance_admin) VALUES (${input.email}, ${input.name}, ${passwordHash}, true)
      ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, password_hash = EXCLUDED.password_hash, is_instance_admin = true
      RETURNING id`, tx);
    const actor = { kind: "user" as const, userId: user.id };
    const workspace = await createWorkspaceIn(database, tx, actor, { name: input.workspaceName, ownerId: user.id });
    return { userId: user.id, workspace };
  });
}
