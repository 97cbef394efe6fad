import { sql } from "drizzle-orm";
import { RevokeInviteInput } from "@/contracts/workspaces";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { notFound, hiddenAs } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";

/** Makes an unused invite worthless; its link then answers 404. Workspace admins and owners only. */
export async function revokeInvite(ctx: Ctx, raw: unknown): Promise<{ revoked: boolean }> {
  const input = parseInput(RevokeInviteInput, raw);
  return inTransaction(ctx.database, async (tx) => {
    const [invite] = await ctx.database.rows<{ id: string; workspace_id: string; role: string; email: string | null; accepted_at: Date | null; revoked_at: Date | null }>(sql`
      SELECT id, workspace_id, role, email, accepted_at, revoked_at FROM invites WHERE id = ${input.inviteId} FOR UPDATE`, tx);
    if (!invite) throw notFound("invite");
    await hiddenAs("invite", authorizeWorkspace(ctx.database, ctx.actor, "admin", invite.workspace_id, tx));
    if (invite.revoked_at || invite.accepted_at) return { revoked: false };
    await ctx.database.rows(sql`UPDATE invites SET revoked_at = now() WHERE id = ${invite.id}`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "invite.revoke", targetKind: "invite", targetId: invite.id, workspaceId: invite.workspace_id,
      before: { role: invite.role, email: invite.email, revoked: false }, after: { role: invite.role, email: invite.email, revoked: true },
    });
    return { revoked: true };
  });
}
