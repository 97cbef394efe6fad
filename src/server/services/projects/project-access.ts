import { sql } from "drizzle-orm";
import type { ProjectRole, Visibility } from "@/contracts/projects";
import type { Actor } from "@/server/authz/actor";
import { readOnlyPermissions, rolePermissions, type Permission } from "@/server/authz/permissions";
import type { Database, Db } from "@/server/db/client";
import { conflict, notFound } from "@/server/errors";

export type ProjectRow = {
  id: string; workspace_id: string; slug: string; key: string; name: string; visibility: Visibility; default_role: ProjectRole;
};

/**
 * Reads and locks the project row for the rest of the transaction: every change of its
 * members or settings takes this lock first, so last-owner checks cannot race.
 */
export async function lockProject(database: Database, tx: Db, projectId: string): Promise<ProjectRow> {
  const [row] = await database.rows<ProjectRow>(sql`
    SELECT id, workspace_id, slug, key, name, visibility, default_role FROM projects WHERE id = ${projectId} FOR UPDATE`, tx);
  if (!row) throw notFound("project");
  return row;
}

/** Workspace owners and admins (and the system) act as owners of every project in the workspace. */
export async function actsAsWorkspaceAdmin(database: Database, tx: Db, actor: Actor, workspaceId: string): Promise<boolean> {
  if (actor.kind === "system") return true;
  if (actor.kind !== "user") return false;
  const [row] = await database.rows<{ role: string }>(sql`
    SELECT role FROM workspace_members WHERE workspace_id = ${workspaceId} AND user_id = ${actor.userId}`, tx);
  return row?.role === "owner" || row?.role === "admin";
}

/**
 * A project keeps at least one explicit owner unless a workspace owner or admin (who owns
 * every project anyway) removes or demotes the last one.
 */
export async function guardLastOwner(database: Database, tx: Db, actor: Actor, project: ProjectRow, currentRole: ProjectRole): Promise<void> {
  if (currentRole !== "owner") return;
  const [row] = await database.rows<{ n: string | number }>(sql`
    SELECT count(*) AS n FROM project_members WHERE project_id = ${project.id} AND role = 'owner'`, tx);
  if (Number(row.n) > 1) return;
  if (await actsAsWorkspaceAdmin(database, tx, actor, project.workspace_id)) return;
  throw conflict("a project needs an owner: make someone else owner first", "userId");
}

export async function grantOf(database: Database, tx: Db, projectId: string, userId: string): Promise<ProjectRole | null> {
  // Service accounts' roles are managed (and capped) by the service-account verbs, not here.
  const [row] = await database.rows<{ role: ProjectRole }>(sql`
    SELECT pm.role FROM project_members pm JOIN users u ON u.id = pm.user_id
    WHERE pm.project_id = ${projectId} AND pm.user_id = ${userId} AND u.kind = 'person'`, tx);
  return row?.role ?? null;
}

/** What a role lets this actor do (a read-only key keeps only reading). */
export function permissionsOf(actor: Actor, role: ProjectRole | null): Permission[] {
  if (actor.kind === "system") return [...rolePermissions.owner];
  if (!role) return [];
  const all = rolePermissions[role];
  return actor.kind === "apiKey" && actor.readOnly ? all.filter((p) => readOnlyPermissions.includes(p)) : [...all];
}
