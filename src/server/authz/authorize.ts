import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { forbidden, notFound } from "@/server/errors";
import type { Actor } from "./actor";
import { maxRole, readOnlyPermissions, rolePermissions, sharePermissions, type Permission, type ProjectRole } from "./permissions";
import { TtlCache } from "./ttl-cache";

// Roles change rarely and are read on every request; a short cache keeps the hot ingestion
// path to zero extra queries. Access changes clear it on every process (forget-access.ts).
const roleCache = new TtlCache<string, ProjectRole | null>(2_000);

export function forgetRoles(): void {
  roleCache.clear();
}

type RoleRow = { project_role: ProjectRole | null; workspace_role: string | null; visibility: string; default_role: ProjectRole; disabled: boolean };

/** The user's effective role in the project: the strongest of their grant, the project's
 * default for workspace members, and owner for workspace owners and admins. */
export async function roleOf(database: Database, userId: string, projectId: string): Promise<ProjectRole | null> {
  const cacheKey = `${userId}:${projectId}`;
  const cached = roleCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const rows = await database.rows<RoleRow>(sql`
    SELECT pm.role AS project_role, wm.role AS workspace_role, p.visibility, p.default_role,
      (u.disabled_at IS NOT NULL) AS disabled
    FROM projects p
    JOIN users u ON u.id = ${userId}
    LEFT JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = u.id
    LEFT JOIN workspace_members wm ON wm.workspace_id = p.workspace_id AND wm.user_id = u.id
    WHERE p.id = ${projectId}`);
  const row = rows[0];
  let role: ProjectRole | null = null;
  if (row && !row.disabled) {
    role = row.project_role;
    if (row.workspace_role && row.visibility === "workspace") role = maxRole(role, row.default_role);
    if (row.workspace_role === "owner" || row.workspace_role === "admin") role = "owner";
  }
  roleCache.set(cacheKey, role);
  return role;
}

/** Narrows a decision to one run: share links to runs or comparisons reveal only those runs. */
export type Scope = { runId?: string };

/**
 * The one authorization decision every door goes through. Throws NotFound when the actor
 * may not even see the project or object (so its existence is not revealed) and Forbidden
 * when it may see but not do.
 */
export async function authorize(database: Database, actor: Actor, permission: Permission, projectId: string, scope: Scope = {}): Promise<void> {
  if (actor.kind === "system") return;
  if (actor.kind === "share") {
    if (actor.projectId !== projectId) throw notFound("project");
    if (actor.runIds && !scope.runId) throw notFound("project");
    if (actor.runIds && scope.runId && !actor.runIds.includes(scope.runId)) throw notFound("run");
    if (!sharePermissions.includes(permission)) throw forbidden("share links are read-only");
    return;
  }
  if (actor.kind === "apiKey" && actor.projectIds && !actor.projectIds.includes(projectId)) throw notFound("project");
  const role = await roleOf(database, actor.userId, projectId);
  if (!role) throw notFound("project");
  const allowed = actor.kind === "apiKey" && actor.readOnly
    ? rolePermissions[role].filter((p) => readOnlyPermissions.includes(p))
    : rolePermissions[role];
  if (!allowed.includes(permission)) {
    throw forbidden(actor.kind === "apiKey" && actor.readOnly && rolePermissions[role].includes(permission)
      ? "this API key is read-only"
      : `your role (${role}) does not allow ${permission}`);
  }
}

/** Like authorize, for callers that want a yes/no (e.g. to hide controls). */
export async function allows(database: Database, actor: Actor, permission: Permission, projectId: string, scope: Scope = {}): Promise<boolean> {
  try {
    await authorize(database, actor, permission, projectId, scope);
    return true;
  } catch {
    return false;
  }
}
