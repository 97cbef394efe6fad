import { sql } from "drizzle-orm";
import type { WorkspaceRole } from "@/contracts/workspaces";
import { userIdOf } from "@/server/authz/actor";
import type { Ctx } from "../context";

export type MyWorkspace = { id: string; slug: string; name: string; role: WorkspaceRole; memberCount: number };

/** The workspaces the signed-in person belongs to, by name. */
export async function listMyWorkspaces(ctx: Ctx): Promise<MyWorkspace[]> {
  const userId = userIdOf(ctx.actor);
  if (!userId) return [];
  const rows = await ctx.database.rows<{ id: string; slug: string; name: string; role: WorkspaceRole; member_count: string | number }>(sql`
    SELECT w.id, w.slug, w.name, wm.role,
      (SELECT count(*) FROM workspace_members m WHERE m.workspace_id = w.id) AS member_count
    FROM workspace_members wm JOIN workspaces w ON w.id = wm.workspace_id
    WHERE wm.user_id = ${userId} ORDER BY w.name, w.slug`);
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, role: r.role, memberCount: Number(r.member_count) }));
}
