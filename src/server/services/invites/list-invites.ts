import { sql } from "drizzle-orm";
import { WorkspaceRef, type InviteRole } from "@/contracts/workspaces";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { iso } from "@/server/db/values";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

export type PendingInvite = {
  id: string; role: InviteRole; email: string | null; createdAt: string; expiresAt: string;
  invitedBy: { userId: string; email: string | null; name: string | null };
};

/** Invites neither used, revoked nor expired, newest first. Workspace admins and owners only. */
export async function listInvites(ctx: Ctx, raw: unknown): Promise<PendingInvite[]> {
  const input = parseInput(WorkspaceRef, raw);
  await authorizeWorkspace(ctx.database, ctx.actor, "admin", input.workspaceId);
  const rows = await ctx.database.rows<{
    id: string; role: InviteRole; email: string | null; created_at: Date | string; expires_at: Date | string;
    created_by: string; inviter_email: string | null; inviter_name: string | null;
  }>(sql`
    SELECT i.id, i.role, i.email, i.created_at, i.expires_at, i.created_by, u.email AS inviter_email, u.name AS inviter_name
    FROM invites i LEFT JOIN users u ON u.id = i.created_by
    WHERE i.workspace_id = ${input.workspaceId} AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
    ORDER BY i.created_at DESC, i.id DESC`);
  return rows.map((r) => ({
    id: r.id, role: r.role, email: r.email, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at)!,
    invitedBy: { userId: r.created_by, email: r.inviter_email, name: r.inviter_name },
  }));
}
