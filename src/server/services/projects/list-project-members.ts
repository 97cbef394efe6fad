import { sql } from "drizzle-orm";
import { ProjectRef, type ProjectRole } from "@/contracts/projects";
import type { WorkspaceRole } from "@/contracts/workspaces";
import { authorize } from "@/server/authz/authorize";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

export type ProjectMember = { userId: string; email: string; name: string | null; kind: "person" | "service"; role: ProjectRole };
export type ProjectMembers = {
  /** Explicit grants to people on this project (service accounts are listed by serviceAccounts.list). */
  members: ProjectMember[];
  /** Workspace owners and admins: owners of every project in the workspace without a grant. */
  workspaceAdmins: { userId: string; email: string; name: string | null; workspaceRole: WorkspaceRole }[];
};

export async function listProjectMembers(ctx: Ctx, raw: unknown): Promise<ProjectMembers> {
  const input = parseInput(ProjectRef, raw);
  await authorize(ctx.database, ctx.actor, "members.read", input.projectId);
  const members = await ctx.database.rows<{ user_id: string; email: string; name: string | null; kind: "person" | "service"; role: ProjectRole }>(sql`
    SELECT u.id AS user_id, u.email, u.name, u.kind, pm.role
    FROM project_members pm JOIN users u ON u.id = pm.user_id
    WHERE pm.project_id = ${input.projectId} AND u.kind = 'person'
    ORDER BY CASE pm.role WHEN 'owner' THEN 0 WHEN 'maintainer' THEN 1 WHEN 'contributor' THEN 2 ELSE 3 END, coalesce(u.name, u.email), u.email`);
  const admins = await ctx.database.rows<{ user_id: string; email: string; name: string | null; role: WorkspaceRole }>(sql`
    SELECT u.id AS user_id, u.email, u.name, wm.role
    FROM projects p JOIN workspace_members wm ON wm.workspace_id = p.workspace_id JOIN users u ON u.id = wm.user_id
    WHERE p.id = ${input.projectId} AND wm.role IN ('owner', 'admin')
    ORDER BY wm.role DESC, coalesce(u.name, u.email), u.email`);
  return {
    members: members.map((m) => ({ userId: m.user_id, email: m.email, name: m.name, kind: m.kind, role: m.role })),
    workspaceAdmins: admins.map((a) => ({ userId: a.user_id, email: a.email, name: a.name, workspaceRole: a.role })),
  };
}
