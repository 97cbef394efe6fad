import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { hashSecret } from "@/server/authz/authenticate-key";

export type CreatedKey = { id: string; secret: string; prefix: string };

/** Makes a new API key for a user. The secret is returned once; only its hash is stored. */
export async function createApiKey(
  database: Database,
  input: { userId: string; name: string; projectIds?: string[] | null; readOnly?: boolean; expiresAt?: Date | null },
): Promise<CreatedKey> {
  const secret = `cairn_${randomBytes(32).toString("base64url")}`;
  const prefix = secret.slice(0, 12);
  const projectIds = input.projectIds ? `{${input.projectIds.join(",")}}` : null;
  const [row] = await database.rows<{ id: string }>(sql`
    INSERT INTO api_keys (user_id, name, prefix, secret_hash, project_ids, read_only, expires_at)
    VALUES (${input.userId}, ${input.name}, ${prefix}, ${hashSecret(secret)}, ${projectIds}::uuid[], ${input.readOnly ?? false},
      ${input.expiresAt ? input.expiresAt.toISOString() : null})
    RETURNING id`);
  return { id: row.id, secret, prefix };
}

/** Revokes a key; the next request with it gets 401. */
export async function revokeApiKey(database: Database, keyId: string): Promise<void> {
  await database.rows(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${keyId} AND revoked_at IS NULL`);
}
