import { sql } from "drizzle-orm";
import { userIdOf } from "@/server/authz/actor";
import { iso } from "@/server/db/values";
import { notFound } from "@/server/errors";
import type { Ctx } from "../context";

export type Me = {
  id: string; email: string; name: string | null; isInstanceAdmin: boolean; hasPassword: boolean; sso: boolean; createdAt: string;
  workspaces: { id: string; slug: string; name: string; role: "owner" | "admin" | "member" }[];
};

/** The signed-in person and the workspaces they belong to (for the switcher). */
export async function getMe(ctx: Ctx): Promise<Me> {
  const userId = userIdOf(ctx.actor);
  if (!userId) throw notFound("account");
  const [u] = await ctx.database.rows<{ id: string; email: string; name: string | null; is_instance_admin: boolean; password_hash: string | null; oidc_subject: string | null; created_at: Date }>(sql`
    SELECT id, email, name, is_instance_admin, password_hash, oidc_subject, created_at FROM users WHERE id = ${userId}`);
  if (!u) throw notFound("account");
  const workspaces = await ctx.database.rows<Me["workspaces"][number]>(sql`
    SELECT w.id, w.slug, w.name, wm.role FROM workspace_members wm JOIN workspaces w ON w.id = wm.workspace_id
    WHERE wm.user_id = ${userId} ORDER BY w.name`);
  return {
    id: u.id, email: u.email, name: u.name, isInstanceAdmin: u.is_instance_admin, hasPassword: !!u.password_hash,
    sso: !!u.oidc_subject, createdAt: iso(u.created_at)!, workspaces,
  };
}

export async function isInstanceAdmin(ctx: Ctx): Promise<boolean> {
  const userId = userIdOf(ctx.actor);
  if (!userId || ctx.actor.kind !== "user") return false;
  const [row] = await ctx.database.rows<{ is_instance_admin: boolean }>(sql`SELECT is_instance_admin FROM users WHERE id = ${userId}`);
  return row?.is_instance_admin ?? false;
}
