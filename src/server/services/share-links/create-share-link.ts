import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { CreateShareLinkInput } from "@/contracts/share-links";
import { userIdOf } from "@/server/authz/actor";
import { hashSecret } from "@/server/authz/authenticate-key";
import { authorize } from "@/server/authz/authorize";
import { textArray } from "@/server/db/arrays";
import type { Db } from "@/server/db/client";
import { forbidden, invalid, notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import { daysFromNow } from "../keys/create-api-key";
import { parseInput } from "../parse-input";
import { workspaceOfProject } from "../service-accounts/find-service-account";
import type { Ctx } from "../context";

export type CreatedShareLink = {
  id: string; url: string; token: string; prefix: string; targetKind: "run" | "compare" | "view"; label: string; expiresAt: string | null;
};

export const shareUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, "")}/share/${token}`;

/**
 * A read-only link to a run, a comparison of runs or a saved table view of one project, for
 * people without an account. The token is shown once (in the URL); only its hash is stored.
 */
export async function createShareLink(ctx: Ctx, raw: unknown): Promise<CreatedShareLink> {
  const input = parseInput(CreateShareLinkInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "run.write", projectId);
  const createdBy = userIdOf(ctx.actor);
  if (!createdBy) throw forbidden("share links are created by people");

  const target = input.target;
  let runIds: string[] | null = null;
  if (target.kind === "run") runIds = [target.runId.toLowerCase()];
  if (target.kind === "compare") {
    runIds = [...new Set(target.runIds.map((id) => id.toLowerCase()))];
    if (runIds.length < 2) throw invalid("a comparison needs at least 2 different runs", "target.runIds");
  }
  if (runIds) {
    const found = await ctx.database.rows<{ id: string }>(sql`
      SELECT id FROM runs WHERE project_id = ${projectId} AND id = ANY(${textArray(runIds)}::text::uuid[])`);
    if (found.length !== runIds.length) throw notFound("run");
  }
  const view = target.kind === "view" ? JSON.stringify(target.view) : null;
  const workspaceId = await workspaceOfProject(ctx, projectId);
  const expiresAt = daysFromNow(input.expiresInDays);
  const token = `cs_${randomBytes(32).toString("base64url")}`;
  const prefix = token.slice(0, 9);
  const actor = ctx.actor;

  const id = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [row] = await ctx.database.rows<{ id: string }>(sql`
      INSERT INTO share_links (project_id, token_hash, prefix, target_kind, run_ids, view, label, created_by, expires_at)
      VALUES (${projectId}, ${hashSecret(token)}, ${prefix}, ${target.kind}, ${runIds ? textArray(runIds) : null}::text::uuid[],
        ${view}::jsonb, ${input.label}, ${createdBy}, ${expiresAt ? expiresAt.toISOString() : null})
      RETURNING id`, tx);
    await recordAudit(ctx.database, tx, actor, {
      action: "shareLink.create", targetKind: "shareLink", targetId: row.id, workspaceId, projectId,
      after: { prefix, targetKind: target.kind, runIds, label: input.label, expiresAt },
    });
    return row.id;
  });
  return { id, url: shareUrl(ctx.publicUrl, token), token, prefix, targetKind: target.kind, label: input.label, expiresAt: expiresAt?.toISOString() ?? null };
}
