import { sql } from "drizzle-orm";
import { SetWorkspaceRoleInput, type WorkspaceRole } from "@/contracts/workspaces";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { conflict, forbidden, notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { lockWorkspace, memberRole, ownerCount } from "./membership";

/**
 * Changes a member's workspace role. Admins and owners may; only owners make or unmake owners;
 * the last owner cannot step down.
 */
export async function setWorkspaceRole(ctx: Ctx, raw: unknown): Promise<{ role: WorkspaceRole; changed: boolean }> {
  const input = parseInput(SetWorkspaceRoleInput, raw);
  const changed = await inTransaction(ctx.database, async (tx) => {
    await lockWorkspace(ctx.database, tx, input.workspaceId);
    const mine = await authorizeWorkspace(ctx.database, ctx.actor, "admin", input.workspaceId, tx);
    const current = await memberRole(ctx.database, tx, input.workspaceId, input.userId);
    if (!current) throw notFound("workspace member");
    if (current === input.role) return false;
    if ((current === "owner" || input.role === "owner") && mine !== "owner") throw forbidden("only workspace owners make or unmake owners");
    if (current === "owner" && (await ownerCount(ctx.database, tx, input.workspaceId)) <= 1) {
      throw conflict("a workspace needs an owner: make someone else owner first", "role");
    }
    await ctx.database.rows(sql`
      UPDATE workspace_members SET role = ${input.role} WHERE workspace_id = ${input.workspaceId} AND user_id = ${input.userId}`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "workspace.member.role", targetKind: "user", targetId: input.userId, workspaceId: input.workspaceId,
      before: { role: current }, after: { role: input.role },
    });
    return true;
  });
  if (changed) ctx.sockets.accessChanged();
  return { role: input.role, changed };
}
