import { sql } from "drizzle-orm";
import type { ProjectRole, Visibility } from "@/contracts/projects";
import { WorkspaceRef } from "@/contracts/workspaces";
import { roleOf } from "@/server/authz/authorize";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import type { Permission } from "@/server/authz/permissions";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { permissionsOf } from "./project-access";

export type WorkspaceProject = {
  id: string; slug: string; key: string; name: string; visibility: Visibility; defaultRole: ProjectRole;
  myRole: ProjectRole; permissions: Permission[]; runCount: number;
};

/** The workspace's projects the actor can see, each with the actor's role in it. */
export async function listWorkspaceProjects(ctx: Ctx, raw: unknown): Promise<WorkspaceProject[]> {
  const input = parseInput(WorkspaceRef, raw);
  await authorizeWorkspace(ctx.database, ctx.actor, "member", input.workspaceId);
  const rows = await ctx.database.rows<{ id: string; slug: string; key: string; name: string; visibility: Visibility; default_role: ProjectRole; run_counter: number }>(sql`
    SELECT id, slug, key, name, visibility, default_role, run_counter FROM projects WHERE workspace_id = ${input.workspaceId} ORDER BY name, slug`);
  const out: WorkspaceProject[] = [];
  for (const r of rows) {
    // The same role lookup authorize() makes, so the list never shows what a page would 404.
    const role = ctx.actor.kind === "system" ? "owner" : ctx.actor.kind === "user" ? await roleOf(ctx.database, ctx.actor.userId, r.id) : null;
    if (!role) continue;
    out.push({
      id: r.id, slug: r.slug, key: r.key, name: r.name, visibility: r.visibility, defaultRole: r.default_role,
      myRole: role, permissions: permissionsOf(ctx.actor, role), runCount: Number(r.run_counter),
    });
  }
  return out;
}
