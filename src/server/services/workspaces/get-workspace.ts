import { sql } from "drizzle-orm";
import { FindWorkspaceInput, type WorkspaceRole } from "@/contracts/workspaces";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { notFound } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

export type WorkspaceInfo = { id: string; slug: string; name: string; myRole: WorkspaceRole };

/** One workspace the actor belongs to, by id or slug, with their role (pages hide controls by it). */
export async function getWorkspace(ctx: Ctx, raw: unknown): Promise<WorkspaceInfo> {
  const input = parseInput(FindWorkspaceInput, raw);
  const [ws] = await ctx.database.rows<{ id: string; slug: string; name: string }>("workspaceId" in input
    ? sql`SELECT id, slug, name FROM workspaces WHERE id = ${input.workspaceId}`
    : sql`SELECT id, slug, name FROM workspaces WHERE slug = ${input.slug}`);
  if (!ws) throw notFound("workspace");
  const myRole = await authorizeWorkspace(ctx.database, ctx.actor, "member", ws.id);
  return { ...ws, myRole };
}
