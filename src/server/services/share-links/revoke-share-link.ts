import { sql } from "drizzle-orm";
import { RevokeShareLinkInput } from "@/contracts/share-links";
import { userIdOf } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import type { Db } from "@/server/db/client";
import { notFound, hiddenAs } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";

type LinkRow = { id: string; project_id: string; workspace_id: string; created_by: string; prefix: string; label: string; revoked: boolean };

/**
 * Revokes a share link: the project's maintainers may, and so may its creator (taking access
 * away is always safe). Open pages lose it at once: cached decisions are dropped on every
 * process and the link's sockets are closed.
 */
export async function revokeShareLink(ctx: Ctx, raw: unknown): Promise<{ revoked: boolean }> {
  const input = parseInput(RevokeShareLinkInput, raw);
  const linkId = input.linkId.toLowerCase();
  const find = (tx?: Db, lock = sql``) => ctx.database.rows<LinkRow>(sql`
    SELECT l.id, l.project_id, p.workspace_id, l.created_by, l.prefix, l.label, (l.revoked_at IS NOT NULL) AS revoked
    FROM share_links l JOIN projects p ON p.id = l.project_id WHERE l.id = ${linkId} ${lock}`, tx);
  const [link] = await find();
  if (!link) throw notFound("share link");
  const me = userIdOf(ctx.actor);
  if (ctx.actor.kind === "share" || !me || link.created_by !== me) {
    await hiddenAs("share link", authorize(ctx.database, ctx.actor, "project.manage", link.project_id));
  }
  const actor = ctx.actor;
  const revoked = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [locked] = await find(tx, sql`FOR UPDATE OF l`);
    if (!locked || locked.revoked) return false;
    await ctx.database.rows(sql`UPDATE share_links SET revoked_at = now() WHERE id = ${linkId}`, tx);
    await recordAudit(ctx.database, tx, actor, {
      action: "shareLink.revoke", targetKind: "shareLink", targetId: linkId, workspaceId: link.workspace_id, projectId: link.project_id,
      before: { prefix: link.prefix, label: link.label, revoked: false }, after: { prefix: link.prefix, label: link.label, revoked: true },
    });
    return true;
  });
  if (revoked) {
    ctx.sockets.accessChanged();
    ctx.sockets.disconnectCredential({ kind: "share", id: linkId });
  }
  return { revoked };
}
