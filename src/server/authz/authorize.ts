import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { forbidden, notFound } from "@/server/errors";
import type { Actor } from "./actor";
import { readOnlyPermissions, rolePermissions, type Permission, type ProjectRole } from "./permissions";
import { TtlCache } from "./ttl-cache";

// Roles change rarely and are read on every request; a short cache keeps the hot ingestion
// path to zero extra queries. Changes made through this process invalidate it at once.
const roleCache = new TtlCache<string, ProjectRole | null>(2_000);

export function forgetRoles(): void {
  roleCache.clear();
}

async function roleOf(database: Database, userId: string, projectId: string): Promise<ProjectRole | null> {
  const cacheKey = `${userId}:${projectId}`;
  const cached = roleCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const rows = await database.rows<{ project_role: ProjectRole | null; workspace_role: string | null; visibility: string }>(sql`
    SELECT pm.role AS project_role, wm.role AS workspace_role, p.visibility
    FROM projects p
    LEFT JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = ${userId}
    LEFT JOIN workspace_members wm ON wm.workspace_id = p.workspace_id AND wm.user_id = ${userId}
    WHERE p.id = ${projectId}`);
  const row = rows[0];
  let role: ProjectRole | null = null;
  if (row) {
    if (row.workspace_role === "owner" || row.workspace_role === "admin") role = "owner";
    else if (row.project_role) role = row.project_role;
    else if (row.workspace_role && row.visibility === "workspace") role = "viewer";
  }
  roleCache.set(cacheKey, role);
  return role;
}

/**
 * The one authorization decision every door goes through. Throws NotFound when the actor
 * may not even see the project (so its existence is not revealed) and Forbidden when it may
 * see but not do.
 */
export async function authorize(database: Database, actor: Actor, permission: Permission, projectId: string): Promise<void> {
  if (actor.kind === "system") return;
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
