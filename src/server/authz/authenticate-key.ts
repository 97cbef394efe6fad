import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { uuidArray } from "@/server/db/values";
import { unauthorized } from "@/server/errors";
import type { Actor } from "./actor";
import { TtlCache } from "./ttl-cache";

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

type KeyRow = { id: string; user_id: string; project_ids: string[] | null; read_only: boolean; expires_at: Date | null; revoked_at: Date | null };

const keyCache = new TtlCache<string, KeyRow | null>(2_000);
const lastUsedWritten = new TtlCache<string, true>(60_000);

export function forgetKeys(): void {
  keyCache.clear();
}

/** Turns a bearer token into an API-key actor, or throws 401. */
export async function authenticateKey(database: Database, header: string | undefined): Promise<Actor & { kind: "apiKey" }> {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw unauthorized("missing API key: send Authorization: Bearer <key>");
  const hash = hashSecret(match[1]);
  let row = keyCache.get(hash);
  if (row === undefined) {
    const rows = await database.rows<KeyRow>(sql`
      SELECT id, user_id, project_ids, read_only, expires_at, revoked_at FROM api_keys WHERE secret_hash = ${hash}`);
    row = rows[0] ?? null;
    keyCache.set(hash, row);
  }
  if (!row) throw unauthorized("unknown API key");
  if (row.revoked_at) throw unauthorized("this API key was revoked");
  if (row.expires_at && new Date(row.expires_at).getTime() < Date.now()) throw unauthorized("this API key has expired");
  if (!lastUsedWritten.get(row.id)) {
    // Written at most once a minute per key: a per-request write would double the load.
    lastUsedWritten.set(row.id, true);
    void database.rows(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id}`).catch(() => {});
  }
  return { kind: "apiKey", userId: row.user_id, keyId: row.id, projectIds: uuidArray(row.project_ids), readOnly: row.read_only };
}
