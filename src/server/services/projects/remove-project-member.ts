import { sql } from "drizzle-orm";
import { RemoveProjectMemberInput } from "@/contracts/projects";
import { userIdOf } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import { notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { grantOf, guardLastOwner, lockProject } from "./project-access";

/**
 * Takes away someone's grant on the project (they may still see it through the workspace's
 * default role). Project owners remove anyone; members may leave. The last owner stays.
 */
export async function removeProjectMember(ctx: Ctx, raw: unknown): Promise<{ removed: true }> {
  const input = parseInput(RemoveProjectMemberInput, raw);
  const leaving = userIdOf(ctx.actor) === input.userId;
  await authorize(ctx.database, ctx.actor, leaving ? "project.read" : "project.admin", input.projectId);
  await inTransaction(ctx.database, async (tx) => {
    const p = await lockProject(ctx.database, tx, input.projectId);
    const current = await grantOf(ctx.database, tx, p.id, input.userId);
    if (!current) throw notFound("project member");
    await guardLastOwner(ctx.database, tx, ctx.actor, p, current);
    await ctx.database.rows(sql`DELETE FROM project_members WHERE project_id = ${p.id} AND user_id = ${input.userId}`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "project.member.remove", targetKind: "user", targetId: input.userId, workspaceId: p.workspace_id, projectId: p.id,
      before: { role: current }, after: null,
    });
  });
  ctx.sockets.accessChanged();
  ctx.sockets.disconnectCredential({ kind: "user", id: input.userId });
  return { removed: true };
}
