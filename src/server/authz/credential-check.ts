import { sql } from "drizzle-orm";
import type { Actor } from "@/server/authz/actor";
import type { Database } from "@/server/db/client";
import { notFound, unauthorized } from "@/server/errors";

type Row = { live: boolean; expires_at: Date | string | null };

/**
 * Whether the credential a socket was opened with still holds, read from the database and not
 * from the short-lived caches: a socket lives for hours, and a join is rare enough to pay one
 * indexed read. Returns when the credential expires (null: never) so the socket can be closed then.
 */
export async function checkCredential(database: Database, actor: Actor): Promise<{ expiresAt: Date | null }> {
  let rows: Row[] = [];
  if (actor.kind === "apiKey") {
    rows = await database.rows<Row>(sql`
      SELECT (k.revoked_at IS NULL AND u.disabled_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())) AS live, k.expires_at
      FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ${actor.keyId}`);
    if (!rows[0]?.live) throw unauthorized("this API key was revoked or has expired");
  } else if (actor.kind === "share") {
    rows = await database.rows<Row>(sql`
      SELECT (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS live, expires_at
      FROM share_links WHERE id = ${actor.linkId}`);
    // As at the handshake: a dead link looks like an unknown one.
    if (!rows[0]?.live) throw notFound("share link");
  } else if (actor.kind === "user") {
    rows = await database.rows<Row>(sql`
      SELECT (disabled_at IS NULL AND kind = 'person') AS live, NULL AS expires_at FROM users WHERE id = ${actor.userId}`);
    if (!rows[0]?.live) throw unauthorized("sign in again");
  }
  const expires = rows[0]?.expires_at;
  return { expiresAt: expires ? new Date(expires) : null };
}
