import { sql } from "drizzle-orm";
import { SetProjectAccessInput, type ProjectRole, type Visibility } from "@/contracts/projects";
import { authorize } from "@/server/authz/authorize";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { lockProject } from "./project-access";

/**
 * Sets who in the workspace sees the project (`workspace`: every member, with the default
 * role; `private`: only those granted a role) and that default role. Project owners only.
 */
export async function setProjectAccess(ctx: Ctx, raw: unknown): Promise<{ visibility: Visibility; defaultRole: ProjectRole }> {
  const input = parseInput(SetProjectAccessInput, raw);
  await authorize(ctx.database, ctx.actor, "project.admin", input.projectId);
  const { result, changed } = await inTransaction(ctx.database, async (tx) => {
    const p = await lockProject(ctx.database, tx, input.projectId);
    const visibility = input.visibility ?? p.visibility;
    const defaultRole = input.defaultRole ?? p.default_role;
    const scope = { targetKind: "project", targetId: p.id, workspaceId: p.workspace_id, projectId: p.id };
    await ctx.database.rows(sql`
      UPDATE projects SET visibility = ${visibility}, default_role = ${defaultRole} WHERE id = ${p.id}`, tx);
    if (visibility !== p.visibility) {
      await recordAudit(ctx.database, tx, ctx.actor, {
        action: "project.visibility", ...scope, before: { visibility: p.visibility }, after: { visibility },
      });
    }
    if (defaultRole !== p.default_role) {
      await recordAudit(ctx.database, tx, ctx.actor, {
        action: "project.defaultRole", ...scope, before: { defaultRole: p.default_role }, after: { defaultRole },
      });
    }
    return { result: { visibility, defaultRole }, changed: visibility !== p.visibility || defaultRole !== p.default_role };
  });
  if (changed) ctx.sockets.accessChanged();
  return result;
}
