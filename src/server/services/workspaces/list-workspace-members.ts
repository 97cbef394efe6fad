import { sql } from "drizzle-orm";
import { WorkspaceRef, type WorkspaceRole } from "@/contracts/workspaces";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

export type WorkspaceMember = { userId: string; email: string; name: string | null; kind: "person" | "service"; role: WorkspaceRole; disabled: boolean };

/** Every member of the workspace; any member may look. Owners first, then admins, then by name. */
export async function listWorkspaceMembers(ctx: Ctx, raw: unknown): Promise<WorkspaceMember[]> {
  const input = parseInput(WorkspaceRef, raw);
  await authorizeWorkspace(ctx.database, ctx.actor, "member", input.workspaceId);
  const rows = await ctx.database.rows<{ user_id: string; email: string; name: string | null; kind: "person" | "service"; role: WorkspaceRole; disabled: boolean }>(sql`
    SELECT u.id AS user_id, u.email, u.name, u.kind, wm.role, (u.disabled_at IS NOT NULL) AS disabled
    FROM workspace_members wm JOIN users u ON u.id = wm.user_id
    WHERE wm.workspace_id = ${input.workspaceId}
    ORDER BY CASE wm.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, coalesce(u.name, u.email), u.email`);
  return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, kind: r.kind, role: r.role, disabled: r.disabled }));
}
