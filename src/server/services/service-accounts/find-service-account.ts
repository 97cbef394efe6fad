import { sql } from "drizzle-orm";
import { authorize } from "@/server/authz/authorize";
import type { ProjectRole } from "@/server/authz/permissions";
import type { Db } from "@/server/db/client";
import { notFound, hiddenAs } from "@/server/errors";
import type { Ctx } from "../context";

export type ServiceAccount = {
  id: string; name: string; email: string; projectId: string; workspaceId: string; role: ProjectRole | null; disabled: boolean;
};

type Row = { id: string; name: string | null; email: string; project_id: string; workspace_id: string; role: ProjectRole | null; disabled: boolean };

/**
 * A service account by id, after checking that the actor manages its project: 404 when the
 * actor cannot see that project (or the id is no service account), 403 when it only reads it.
 */
export async function findServiceAccount(ctx: Ctx, id: string): Promise<ServiceAccount> {
  const [row] = await ctx.database.rows<Row>(sql`
    SELECT u.id, u.name, u.email, p.id AS project_id, p.workspace_id, pm.role, (u.disabled_at IS NOT NULL) AS disabled
    FROM users u JOIN projects p ON p.id = u.service_project_id
    LEFT JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = u.id
    WHERE u.id = ${id} AND u.kind = 'service'`);
  if (!row) throw notFound("service account");
  await hiddenAs("service account", authorize(ctx.database, ctx.actor, "project.manage", row.project_id));
  return {
    id: row.id, name: row.name ?? "", email: row.email, projectId: row.project_id, workspaceId: row.workspace_id,
    role: row.role, disabled: row.disabled,
  };
}

/** Locks the account's row for the rest of `tx`; false when it was disabled meanwhile. */
export async function lockLiveServiceAccount(ctx: Ctx, tx: Db, id: string): Promise<boolean> {
  const [row] = await ctx.database.rows<{ disabled: boolean }>(sql`
    SELECT (disabled_at IS NOT NULL) AS disabled FROM users WHERE id = ${id} AND kind = 'service' FOR UPDATE`, tx);
  return !!row && !row.disabled;
}

/** The project's workspace, for audit rows. */
export async function workspaceOfProject(ctx: Ctx, projectId: string): Promise<string> {
  const [row] = await ctx.database.rows<{ workspace_id: string }>(sql`SELECT workspace_id FROM projects WHERE id = ${projectId}`);
  if (!row) throw notFound("project");
  return row.workspace_id;
}
