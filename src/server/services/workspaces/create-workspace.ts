import { sql } from "drizzle-orm";
import { slugify } from "@/contracts/accounts";
import { CreateWorkspaceInput } from "@/contracts/workspaces";
import { userIdOf, type Actor } from "@/server/authz/actor";
import type { Database, Db } from "@/server/db/client";
import { forbidden } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";

export type CreatedWorkspace = { id: string; slug: string; name: string };

/**
 * Creates a workspace with `ownerId` as its owner, inside the caller's transaction. The slug
 * comes from the name, with a number added when it is taken.
 */
export async function createWorkspaceIn(
  database: Database, tx: Db, actor: Actor, input: { name: string; ownerId: string },
): Promise<CreatedWorkspace> {
  const base = slugify(input.name);
  const taken = new Set((await database.rows<{ slug: string }>(sql`
    SELECT slug FROM workspaces WHERE slug = ${base} OR slug LIKE ${`${base}-%`}`, tx)).map((r) => r.slug));
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  const [ws] = await database.rows<{ id: string }>(sql`
    INSERT INTO workspaces (slug, name) VALUES (${slug}, ${input.name}) RETURNING id`, tx);
  await database.rows(sql`
    INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${ws.id}, ${input.ownerId}, 'owner')`, tx);
  await recordAudit(database, tx, actor, {
    action: "workspace.member.add", targetKind: "user", targetId: input.ownerId, workspaceId: ws.id,
    after: { role: "owner" },
  });
  return { id: ws.id, slug, name: input.name };
}

/** Any signed-in person may start a workspace; they become its owner. */
export async function createWorkspace(ctx: Ctx, raw: unknown): Promise<CreatedWorkspace> {
  const input = parseInput(CreateWorkspaceInput, raw);
  const ownerId = userIdOf(ctx.actor);
  if (ctx.actor.kind !== "user" || !ownerId) throw forbidden("only a signed-in person can create a workspace");
  return inTransaction(ctx.database, async (tx) => {
    const ws = await createWorkspaceIn(ctx.database, tx, ctx.actor, { name: input.name, ownerId });
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "workspace.create", targetKind: "workspace", targetId: ws.id, workspaceId: ws.id, after: { slug: ws.slug, name: ws.name },
    });
    return ws;
  });
}
