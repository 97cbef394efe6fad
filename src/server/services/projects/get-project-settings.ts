import { sql } from "drizzle-orm";
import { FindProjectInput, type ProjectRole, type Visibility } from "@/contracts/projects";
import type { WorkspaceRole } from "@/contracts/workspaces";
import { authorize, roleOf } from "@/server/authz/authorize";
import type { Permission } from "@/server/authz/permissions";
import { workspaceRoleOf } from "@/server/authz/workspace-role";
import { notFound } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { permissionsOf } from "./project-access";

export type ProjectSettings = {
  id: string; slug: string; key: string; name: string;
  workspace: { id: string; slug: string; name: string };
  visibility: Visibility; defaultRole: ProjectRole;
  myRole: ProjectRole | null; myWorkspaceRole: WorkspaceRole | null; permissions: Permission[];
};

/** A project's access settings and what the actor may do in it, so pages can hide controls. */
export async function getProjectSettings(ctx: Ctx, raw: unknown): Promise<ProjectSettings> {
  const input = parseInput(FindProjectInput, raw);
  const [p] = await ctx.database.rows<{
    id: string; slug: string; key: string; name: string; visibility: Visibility; default_role: ProjectRole;
    workspace_id: string; workspace_slug: string; workspace_name: string;
  }>(sql`
    SELECT p.id, p.slug, p.key, p.name, p.visibility, p.default_role, w.id AS workspace_id, w.slug AS workspace_slug, w.name AS workspace_name
    FROM projects p JOIN workspaces w ON w.id = p.workspace_id
    WHERE ${"projectId" in input ? sql`p.id = ${input.projectId}` : sql`w.slug = ${input.workspace} AND p.slug = ${input.project}`}`);
  if (!p) throw notFound("project");
  await authorize(ctx.database, ctx.actor, "project.read", p.id);
  const userId = ctx.actor.kind === "user" || ctx.actor.kind === "apiKey" ? ctx.actor.userId : null;
  const myRole = ctx.actor.kind === "system" ? "owner" : userId ? await roleOf(ctx.database, userId, p.id) : null;
  return {
    id: p.id, slug: p.slug, key: p.key, name: p.name,
    workspace: { id: p.workspace_id, slug: p.workspace_slug, name: p.workspace_name },
    visibility: p.visibility, defaultRole: p.default_role,
    myRole, myWorkspaceRole: userId ? await workspaceRoleOf(ctx.database, userId, p.workspace_id) : null,
    permissions: ctx.actor.kind === "share" ? ["project.read"] : permissionsOf(ctx.actor, myRole),
  };
}
