import { sql } from "drizzle-orm";
import { ProjectRef } from "@/contracts/projects";
import { authorize } from "@/server/authz/authorize";
import { projectRoom } from "@/server/realtime/socket-rooms";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { lockProject } from "./project-access";

/**
 * Deletes the project with its runs, fields, series and grants (foreign keys cascade). File
 * bytes stay in the content-addressed blob store, which other projects may share.
 * Project owners only; the audit row outlives the project in the workspace's log.
 */
export async function deleteProject(ctx: Ctx, raw: unknown): Promise<{ deleted: true }> {
  const input = parseInput(ProjectRef, raw);
  await authorize(ctx.database, ctx.actor, "project.admin", input.projectId);
  await inTransaction(ctx.database, async (tx) => {
    const p = await lockProject(ctx.database, tx, input.projectId);
    await ctx.database.rows(sql`DELETE FROM projects WHERE id = ${p.id}`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "project.delete", targetKind: "project", targetId: p.id, workspaceId: p.workspace_id, projectId: p.id,
      before: { slug: p.slug, key: p.key, name: p.name, visibility: p.visibility, defaultRole: p.default_role }, after: null,
    });
  });
  ctx.sockets.accessChanged();
  ctx.sockets.disconnectRoom(projectRoom(input.projectId));
  return { deleted: true };
}
