/** Project roles and what each may do, written once; docs/access.md mirrors this table. */
export const projectRoles = ["viewer", "contributor", "maintainer", "owner"] as const;
export type ProjectRole = (typeof projectRoles)[number];

export const workspaceRoles = ["member", "admin", "owner"] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

export const permissions = [
  "project.read",        // see the project, its runs, fields, series and files
  "members.read",        // see who is in the project (not shown through share links)
  "run.write",           // create runs, log data, edit descriptions and tags, comment
  "run.delete",
  "project.manage",      // model stages, share links, the project's service accounts
  "project.admin",       // members, roles, visibility, deleting the project
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<ProjectRole, readonly Permission[]> = {
  viewer: ["project.read", "members.read"],
  contributor: ["project.read", "members.read", "run.write"],
  maintainer: ["project.read", "members.read", "run.write", "run.delete", "project.manage"],
  owner: ["project.read", "members.read", "run.write", "run.delete", "project.manage", "project.admin"],
};

/** What a read-only API key may ever do, whatever its owner's role. */
export const readOnlyPermissions: readonly Permission[] = ["project.read", "members.read"];

/** What a share link may do: read what it points at, nothing else. */
export const sharePermissions: readonly Permission[] = ["project.read"];

export const roleRank = (role: ProjectRole) => projectRoles.indexOf(role);

/** The stronger of two roles (null for none). */
export function maxRole(a: ProjectRole | null, b: ProjectRole | null): ProjectRole | null {
  if (!a) return b;
  if (!b) return a;
  return roleRank(a) >= roleRank(b) ? a : b;
}
