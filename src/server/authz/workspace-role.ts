import { sql } from "drizzle-orm";
import type { Database, Db } from "@/server/db/client";
import { forbidden, notFound } from "@/server/errors";
import type { Actor } from "./actor";
import { workspaceRoles, type WorkspaceRole } from "./permissions";

export const workspaceRank = (role: WorkspaceRole) => workspaceRoles.indexOf(role);

/** The person's role in the workspace, or null when they are not a member (or are disabled). */
export async function workspaceRoleOf(database: Database, userId: string, workspaceId: string, tx?: Db): Promise<WorkspaceRole | null> {
  const [row] = await database.rows<{ role: WorkspaceRole }>(sql`
    SELECT wm.role FROM workspace_members wm JOIN users u ON u.id = wm.user_id
    WHERE wm.workspace_id = ${workspaceId} AND wm.user_id = ${userId} AND u.disabled_at IS NULL`, tx);
  return row?.role ?? null;
}

/**
 * The workspace-level decision (members, invites, renaming, the workspace's audit log), the
 * counterpart of `authorize` for projects: 404 for anyone who is not a member, 403 for a member
 * whose role is below `need`. Only people manage workspaces: API keys and share links get 404.
 * Pass `tx` to read the role inside a transaction that has locked the workspace.
 */
export async function authorizeWorkspace(
  database: Database, actor: Actor, need: WorkspaceRole, workspaceId: string, tx?: Db,
): Promise<WorkspaceRole> {
  if (actor.kind === "system") return "owner";
  if (actor.kind !== "user") throw notFound("workspace");
  const role = await workspaceRoleOf(database, actor.userId, workspaceId, tx);
  if (!role) throw notFound("workspace");
  if (workspaceRank(role) < workspaceRank(need)) throw forbidden(`your workspace role (${role}) does not allow this; it needs ${need}`);
  return role;
}
