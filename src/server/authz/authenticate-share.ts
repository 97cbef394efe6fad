import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { uuidArray } from "@/server/db/values";
import { notFound } from "@/server/errors";
import type { Actor } from "./actor";
import { hashSecret } from "./authenticate-key";
import { TtlCache } from "./ttl-cache";

type LinkRow = { id: string; project_id: string; run_ids: string[] | string | null; expires_at: Date | null; revoked_at: Date | null };

const linkCache = new TtlCache<string, LinkRow | null>(2_000);
const lastUsedWritten = new TtlCache<string, true>(60_000);

export function forgetShareLinks(): void {
  linkCache.clear();
}

/**
 * Turns a share token into a share-link actor. A revoked, expired or unknown link answers
 * 404 alike: a link holder learns nothing about what it pointed at.
 */
export async function authenticateShare(database: Database, token: string): Promise<Actor & { kind: "share" }> {
  const hash = hashSecret(token);
  let row = linkCache.get(hash);
  if (row === undefined) {
    const rows = await database.rows<LinkRow>(sql`
      SELECT id, project_id, run_ids, expires_at, revoked_at FROM share_links WHERE token_hash = ${hash}`);
    row = rows[0] ?? null;
    linkCache.set(hash, row);
  }
  if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) throw notFound("share link");
  if (!lastUsedWritten.get(row.id)) {
    lastUsedWritten.set(row.id, true);
    void database.rows(sql`UPDATE share_links SET last_used_at = now() WHERE id = ${row.id}`).catch(() => {});
  }
  return { kind: "share", linkId: row.id, projectId: row.project_id, runIds: uuidArray(row.run_ids) };
}
