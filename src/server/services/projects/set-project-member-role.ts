import { sql } from "drizzle-orm";
import { ProjectMemberInput, type ProjectRole } from "@/contracts/projects";
import { authorize } from "@/server/authz/authorize";
import { notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { grantOf, guardLastOwner, lockProject } from "./project-access";

/** Changes a member's project role. Project owners only; the last owner stays owner. */
export async function setProjectMemberRole(ctx: Ctx, raw: unknown): Promise<{ role: ProjectRole; changed: boolean }> {
  const input = parseInput(ProjectMemberInput, raw);
  await authorize(ctx.database, ctx.actor, "project.admin", input.projectId);
  const changed = await inTransaction(ctx.database, async (tx) => {
    const p = await lockProject(ctx.database, tx, input.projectId);
    const current = await grantOf(ctx.database, tx, p.id, input.userId);
    if (!current) throw notFound("project member");
    if (current === input.role) return false;
    if (input.role !== "owner") await guardLastOwner(ctx.database, tx, ctx.actor, p, current);
    await ctx.database.rows(sql`
      UPDATE project_members SET role = ${input.role} WHERE project_id = ${p.id} AND user_id = ${input.userId}`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "project.member.role", targetKind: "user", targetId: input.userId, workspaceId: p.workspace_id, projectId: p.id,
      before: { role: current }, after: { role: input.role },
    });
    return true;
  });
  if (changed) ctx.sockets.accessChanged();
  return { role: input.role, changed };
}
