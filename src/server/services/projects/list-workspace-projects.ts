import { sql } from "drizzle-orm";
import type { ProjectRole, Visibility } from "@/contracts/projects";
import { WorkspaceRef } from "@/contracts/workspaces";
import { roleOf } from "@/server/authz/authorize";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { textArray } from "@/server/db/arrays";
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
  const rows = await ctx.database.rows<{ id: string; slug: string; key: string; name: string; visibility: Visibility; default_role: ProjectRole }>(sql`
    SELECT id, slug, key, name, visibility, default_role FROM projects WHERE workspace_id = ${input.workspaceId} ORDER BY name, slug`);
  const out: WorkspaceProject[] = [];
  for (const r of rows) {
    // The same role lookup authorize() makes, so the list never shows what a page would 404.
    const role = ctx.actor.kind === "system" ? "owner" : ctx.actor.kind === "user" ? await roleOf(ctx.database, ctx.actor.userId, r.id) : null;
    if (!role) continue;
    out.push({
      id: r.id, slug: r.slug, key: r.key, name: r.name, visibility: r.visibility, defaultRole: r.default_role,
      myRole: role, permissions: permissionsOf(ctx.actor, role), runCount: 0,
    });
  }
  if (out.length > 0) {
    // Walks runs_project_created_idx per project: no scan of other projects' runs.
    const counts = await ctx.database.rows<{ project_id: string; n: string | number }>(sql`
      SELECT project_id, count(*) AS n FROM runs WHERE project_id = ANY(${textArray(out.map((p) => p.id))}::text::uuid[]) GROUP BY project_id`);
    const byId = new Map(counts.map((c) => [c.project_id, Number(c.n)]));
    for (const p of out) p.runCount = byId.get(p.id) ?? 0;
  }
  return out;
}
