import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Actor } from "@/server/authz/actor";
import type { Database, Db } from "@/server/db/client";
import { hashSecret } from "@/server/authz/authenticate-key";
import { recordAudit } from "../audit/record-audit";

export type CreatedKey = { id: string; secret: string; prefix: string };

export type NewKey = { userId: string; name: string; projectIds?: string[] | null; readOnly?: boolean; expiresAt?: Date | null };

/** Where an audit row about a key belongs (a service account's keys: its project). */
export type AuditScope = { workspaceId?: string | null; projectId?: string | null };

/** Inserts a key and its audit row inside `tx`. The secret is returned once; only its hash is stored. */
export async function insertApiKey(database: Database, tx: Db, actor: Actor, input: NewKey, scope: AuditScope = {}): Promise<CreatedKey> {
  const secret = `cairn_${randomBytes(32).toString("base64url")}`;
  const prefix = secret.slice(0, 12);
  const projectIds = input.projectIds ? `{${input.projectIds.join(",")}}` : null;
  const [row] = await database.rows<{ id: string }>(sql`
    INSERT INTO api_keys (user_id, name, prefix, secret_hash, project_ids, read_only, expires_at)
    VALUES (${input.userId}, ${input.name}, ${prefix}, ${hashSecret(secret)}, ${projectIds}::uuid[], ${input.readOnly ?? false},
      ${input.expiresAt ? input.expiresAt.toISOString() : null})
    RETURNING id`, tx);
  await recordAudit(database, tx, actor, {
    action: "apiKey.create", targetKind: "apiKey", targetId: row.id, ...scope,
    after: { name: input.name, prefix, userId: input.userId, projectIds: input.projectIds ?? null, readOnly: input.readOnly ?? false, expiresAt: input.expiresAt ?? null },
  });
  return { id: row.id, secret, prefix };
}

/**
 * Makes a new API key for a user, the key and its audit row in one transaction. An
 * administrative verb (admin CLI, tests); people go through createPersonalKey.
 */
export async function createApiKey(database: Database, input: NewKey, actor: Actor = { kind: "system", job: "admin-cli" }): Promise<CreatedKey> {
  return database.db.transaction(async (txAny) => insertApiKey(database, txAny as unknown as Db, actor, input));
}

/** now + days, for keys and links that expire. */
export const daysFromNow = (days: number | undefined) => (days ? new Date(Date.now() + days * 86_400_000) : null);
