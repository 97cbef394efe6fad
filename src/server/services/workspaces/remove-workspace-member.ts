import { sql } from "drizzle-orm";
import { RemoveWorkspaceMemberInput } from "@/contracts/workspaces";
import { userIdOf } from "@/server/authz/actor";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { conflict, forbidden, notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { lockWorkspace, memberRole, ownerCount } from "./membership";

/**
 * Removes someone from a workspace together with their grants on its projects. Admins and
 * owners remove others (only owners remove owners); anyone may leave. The last owner stays.
 */
export async function removeWorkspaceMember(ctx: Ctx, raw: unknown): Promise<{ removed: true; projectGrants: number }> {
  const input = parseInput(RemoveWorkspaceMemberInput, raw);
  const leaving = userIdOf(ctx.actor) === input.userId;
  const grants = await inTransaction(ctx.database, async (tx) => {
    await lockWorkspace(ctx.database, tx, input.workspaceId);
    const mine = await authorizeWorkspace(ctx.database, ctx.actor, leaving ? "member" : "admin", input.workspaceId, tx);
    const current = await memberRole(ctx.database, tx, input.workspaceId, input.userId);
    if (!current) throw notFound("workspace member");
    if (current === "owner" && !leaving && mine !== "owner") throw forbidden("only workspace owners remove owners");
    if (current === "owner" && (await ownerCount(ctx.database, tx, input.workspaceId)) <= 1) {
      throw conflict("a workspace needs an owner: make someone else owner first", "userId");
    }
    const removed = await ctx.database.rows<{ project_id: string; role: string }>(sql`
      DELETE FROM project_members pm USING projects p
      WHERE pm.project_id = p.id AND p.workspace_id = ${input.workspaceId} AND pm.user_id = ${input.userId}
      RETURNING pm.project_id, pm.role`, tx);
    await ctx.database.rows(sql`
      DELETE FROM workspace_members WHERE workspace_id = ${input.workspaceId} AND user_id = ${input.userId}`, tx);
    for (const grant of removed) {
      await recordAudit(ctx.database, tx, ctx.actor, {
        action: "project.member.remove", targetKind: "user", targetId: input.userId,
        workspaceId: input.workspaceId, projectId: grant.project_id, before: { role: grant.role }, after: null,
      });
    }
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "workspace.member.remove", targetKind: "user", targetId: input.userId, workspaceId: input.workspaceId,
      before: { role: current, projects: removed.map((g) => ({ projectId: g.project_id, role: g.role })) }, after: null,
    });
    return removed.length;
  });
  ctx.sockets.accessChanged();
  // Their open sockets reconnect and are authorized afresh, without this workspace.
  ctx.sockets.disconnectCredential({ kind: "user", id: input.userId });
  return { removed: true, projectGrants: grants };
}
