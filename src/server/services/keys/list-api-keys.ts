import { sql } from "drizzle-orm";
import { userIdOf } from "@/server/authz/actor";
import { allows } from "@/server/authz/authorize";
import { textArray } from "@/server/db/arrays";
import { iso, uuidArray } from "@/server/db/values";
import type { Ctx } from "../context";

export type ApiKeyInfo = {
  id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null;
  revokedAt: string | null; projectIds: string[] | null; readOnly: boolean;
  /** The projects it is limited to (null: all the owner's); name null for a project the caller can no longer see. */
  projects: { id: string; name: string | null }[] | null;
};

export type KeyRow = {
  id: string; user_id: string; name: string; prefix: string; created_at: Date; last_used_at: Date | null; expires_at: Date | null;
  revoked_at: Date | null; project_ids: string[] | string | null; read_only: boolean;
};

/** Turns key rows into list items, naming only the projects `ctx.actor` may read. */
export async function keyInfos(ctx: Ctx, rows: KeyRow[]): Promise<ApiKeyInfo[]> {
  const ids = [...new Set(rows.flatMap((r) => uuidArray(r.project_ids) ?? []))];
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const projects = await ctx.database.rows<{ id: string; name: string }>(sql`
      SELECT id, name FROM projects WHERE id = ANY(${textArray(ids)}::text::uuid[])`);
    for (const p of projects) if (await allows(ctx.database, ctx.actor, "project.read", p.id)) names.set(p.id, p.name);
  }
  return rows.map((r) => {
    const projectIds = uuidArray(r.project_ids);
    return {
      id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at),
      expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), readOnly: r.read_only, projectIds,
      projects: projectIds?.map((id) => ({ id, name: names.get(id) ?? null })) ?? null,
    };
  });
}

/** A user's API keys, newest first, without their secrets (only hashes are stored). */
export async function listApiKeys(ctx: Ctx, input: { userId: string }): Promise<ApiKeyInfo[]> {
  if (ctx.actor.kind !== "system" && userIdOf(ctx.actor) !== input.userId) return [];
  const rows = await ctx.database.rows<KeyRow>(sql`
    SELECT id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at, project_ids, read_only
    FROM api_keys WHERE user_id = ${input.userId} ORDER BY created_at DESC, id`);
  return keyInfos(ctx, rows);
}
