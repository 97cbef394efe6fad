import { sql } from "drizzle-orm";
import { ProjectMemberInput, type ProjectRole } from "@/contracts/projects";
import { authorize } from "@/server/authz/authorize";
import { conflict, invalid } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { memberRole } from "../workspaces/membership";
import { grantOf, lockProject } from "./project-access";

/** Grants a workspace member a role on the project. Project owners only. */
export async function addProjectMember(ctx: Ctx, raw: unknown): Promise<{ role: ProjectRole }> {
  const input = parseInput(ProjectMemberInput, raw);
  await authorize(ctx.database, ctx.actor, "project.admin", input.projectId);
  await inTransaction(ctx.database, async (tx) => {
    const p = await lockProject(ctx.database, tx, input.projectId);
    if (!(await memberRole(ctx.database, tx, p.workspace_id, input.userId))) {
      throw invalid("is not a member of this project's workspace: invite them to the workspace first", "userId");
    }
    if (await grantOf(ctx.database, tx, p.id, input.userId)) throw conflict("already a member of this project: change their role instead", "userId");
    await ctx.database.rows(sql`
      INSERT INTO project_members (project_id, user_id, role) VALUES (${p.id}, ${input.userId}, ${input.role})`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "project.member.add", targetKind: "user", targetId: input.userId, workspaceId: p.workspace_id, projectId: p.id,
      before: null, after: { role: input.role },
    });
  });
  ctx.sockets.accessChanged();
  return { role: input.role };
}
