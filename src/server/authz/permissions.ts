/** Project roles and what each may do, written once; docs/access.md mirrors this table. */
export const projectRoles = ["viewer", "contributor", "maintainer", "owner"] as const;
export type ProjectRole = (typeof projectRoles)[number];

export const permissions = [
  "project.read",        // see the project, its runs, fields, series and files
  "run.write",           // create runs, log data, edit descriptions and tags
  "run.delete",
  "project.manage",      // stages, share links, service accounts
  "project.admin",       // members, roles, visibility, deleting the project
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<ProjectRole, readonly Permission[]> = {
  viewer: ["project.read"],
  contributor: ["project.read", "run.write"],
  maintainer: ["project.read", "run.write", "run.delete", "project.manage"],
  owner: ["project.read", "run.write", "run.delete", "project.manage", "project.admin"],
};

/** What a read-only API key or a share link may ever do, whatever its owner's role. */
export const readOnlyPermissions: readonly Permission[] = ["project.read"];
