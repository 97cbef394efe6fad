import { sql } from "drizzle-orm";
import { CreateProjectInput, type ProjectRole, type Visibility } from "@/contracts/projects";
import { userIdOf } from "@/server/authz/actor";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { conflict } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { lockWorkspace } from "../workspaces/membership";
import { keyFromSlug } from "./ensure-project";

export type CreatedProject = { id: string; workspaceId: string; slug: string; key: string; name: string; visibility: Visibility; defaultRole: ProjectRole };

/** Any workspace member may create a project; the creator becomes its owner. */
export async function createProject(ctx: Ctx, raw: unknown): Promise<CreatedProject> {
  const input = parseInput(CreateProjectInput, raw);
  const creatorId = userIdOf(ctx.actor);
  const name = input.name ?? input.slug;
  const created = await inTransaction(ctx.database, async (tx) => {
    // Serializes creations in the workspace, so two of them cannot pick the same key.
    await lockWorkspace(ctx.database, tx, input.workspaceId);
    await authorizeWorkspace(ctx.database, ctx.actor, "member", input.workspaceId, tx);
    const [taken] = await ctx.database.rows<{ id: string }>(sql`
      SELECT id FROM projects WHERE workspace_id = ${input.workspaceId} AND slug = ${input.slug}`, tx);
    if (taken) throw conflict(`a project "${input.slug}" already exists in this workspace`, "slug");
    const base = keyFromSlug(input.slug);
    const keys = new Set((await ctx.database.rows<{ key: string }>(sql`
      SELECT key FROM projects WHERE workspace_id = ${input.workspaceId} AND key LIKE ${`${base}%`}`, tx)).map((r) => r.key));
    let key = base;
    for (let i = 2; keys.has(key); i++) key = `${base}${i}`;
    const [row] = await ctx.database.rows<{ id: string }>(sql`
      INSERT INTO projects (workspace_id, slug, key, name, visibility, default_role)
      VALUES (${input.workspaceId}, ${input.slug}, ${key}, ${name}, ${input.visibility}, ${input.defaultRole}) RETURNING id`, tx);
    const project: CreatedProject = {
      id: row.id, workspaceId: input.workspaceId, slug: input.slug, key, name, visibility: input.visibility, defaultRole: input.defaultRole,
    };
    const scope = { workspaceId: input.workspaceId, projectId: row.id };
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "project.create", targetKind: "project", targetId: row.id, ...scope,
      after: { slug: input.slug, key, name, visibility: input.visibility, defaultRole: input.defaultRole },
    });
    if (creatorId) {
      await ctx.database.rows(sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${row.id}, ${creatorId}, 'owner')`, tx);
      await recordAudit(ctx.database, tx, ctx.actor, {
        action: "project.member.add", targetKind: "user", targetId: creatorId, ...scope, before: null, after: { role: "owner" },
      });
    }
    return project;
  });
  ctx.sockets.accessChanged();
  return created;
}
