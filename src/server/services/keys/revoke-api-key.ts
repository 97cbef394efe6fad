import { sql } from "drizzle-orm";
import { userIdOf } from "@/server/authz/actor";
import type { Db } from "@/server/db/client";
import { notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";

type KeyRow = { id: string; user_id: string; prefix: string; name: string; revoked_at: Date | string | null };

/**
 * Revokes an API key: the next request with it gets 401 and its open sockets are closed (on
 * every process, through the Redis adapter). People revoke their own keys; the system any.
 */
export async function revokeApiKey(ctx: Ctx, input: { keyId: string }): Promise<{ revoked: boolean }> {
  const revoked = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [key] = await ctx.database.rows<KeyRow>(sql`
      SELECT id, user_id, prefix, name, revoked_at FROM api_keys WHERE id::text = ${input.keyId} FOR UPDATE`, tx);
    if (!key || (ctx.actor.kind !== "system" && userIdOf(ctx.actor) !== key.user_id)) throw notFound("API key");
    if (key.revoked_at) return false;
    await ctx.database.rows(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${key.id}`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "apiKey.revoke", targetKind: "apiKey", targetId: key.id,
      before: { prefix: key.prefix, name: key.name, revoked: false }, after: { prefix: key.prefix, name: key.name, revoked: true },
    });
    return true;
  });
  if (revoked) {
    ctx.sockets.accessChanged();
    ctx.sockets.disconnectCredential({ kind: "key", id: input.keyId });
  }
  return { revoked };
}
