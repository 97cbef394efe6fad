import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Actor } from "@/server/authz/actor";
import type { Database, Db } from "@/server/db/client";
import { hashSecret } from "@/server/authz/authenticate-key";
import { recordAudit } from "../audit/record-audit";

export type CreatedKey = { id: string; secret: string; prefix: string };

/**
 * Makes a new API key for a user. The secret is returned once; only its hash is stored. The
 * key and its audit row are written in one transaction.
 */
export async function createApiKey(
  database: Database,
  input: { userId: string; name: string; projectIds?: string[] | null; readOnly?: boolean; expiresAt?: Date | null },
  actor: Actor = { kind: "system", job: "admin-cli" },
): Promise<CreatedKey> {
  const secret = `cairn_${randomBytes(32).toString("base64url")}`;
  const prefix = secret.slice(0, 12);
  const projectIds = input.projectIds ? `{${input.projectIds.join(",")}}` : null;
  return database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [row] = await database.rows<{ id: string }>(sql`
      INSERT INTO api_keys (user_id, name, prefix, secret_hash, project_ids, read_only, expires_at)
      VALUES (${input.userId}, ${input.name}, ${prefix}, ${hashSecret(secret)}, ${projectIds}::uuid[], ${input.readOnly ?? false},
        ${input.expiresAt ? input.expiresAt.toISOString() : null})
      RETURNING id`, tx);
    await recordAudit(database, tx, actor, {
      action: "apiKey.create", targetKind: "apiKey", targetId: row.id,
      after: { name: input.name, prefix, userId: input.userId, projectIds: input.projectIds ?? null, readOnly: input.readOnly ?? false, expiresAt: input.expiresAt ?? null },
    });
    return { id: row.id, secret, prefix };
  });
}
