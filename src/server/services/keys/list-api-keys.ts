import { sql } from "drizzle-orm";
import { userIdOf } from "@/server/authz/actor";
import { iso, uuidArray } from "@/server/db/values";
import type { Ctx } from "../context";

export type ApiKeyInfo = {
  id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null;
  revokedAt: string | null; projectIds: string[] | null; readOnly: boolean;
};

/** A user's API keys, newest first, without their secrets (only hashes are stored). */
export async function listApiKeys(ctx: Ctx, input: { userId: string }): Promise<ApiKeyInfo[]> {
  if (ctx.actor.kind !== "system" && userIdOf(ctx.actor) !== input.userId) return [];
  const rows = await ctx.database.rows<{
    id: string; name: string; prefix: string; created_at: Date; last_used_at: Date | null; expires_at: Date | null;
    revoked_at: Date | null; project_ids: string[] | string | null; read_only: boolean;
  }>(sql`
    SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked_at, project_ids, read_only
    FROM api_keys WHERE user_id = ${input.userId} ORDER BY created_at DESC`);
  return rows.map((r) => ({
    id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at),
    expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), readOnly: r.read_only,
    projectIds: uuidArray(r.project_ids),
  }));
}
