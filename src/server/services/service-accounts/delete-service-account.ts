import { sql } from "drizzle-orm";
import { ServiceAccountRef } from "@/contracts/service-accounts";
import type { Db } from "@/server/db/client";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { findServiceAccount, lockLiveServiceAccount } from "./find-service-account";

/**
 * Disables a service account: it loses its role, every key is revoked and every socket opened
 * with one is closed. The row stays (disabled) so runs it created still name their owner.
 */
export async function deleteServiceAccount(ctx: Ctx, raw: unknown): Promise<{ deleted: boolean; revokedKeys: number }> {
  const input = parseInput(ServiceAccountRef, raw);
  const account = await findServiceAccount(ctx, input.serviceAccountId.toLowerCase());
  const actor = ctx.actor;
  const scope = { workspaceId: account.workspaceId, projectId: account.projectId };
  const revoked = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    if (!(await lockLiveServiceAccount(ctx, tx, account.id))) return null;
    await ctx.database.rows(sql`UPDATE users SET disabled_at = now() WHERE id = ${account.id}`, tx);
    await ctx.database.rows(sql`DELETE FROM project_members WHERE user_id = ${account.id}`, tx);
    const keys = await ctx.database.rows<{ id: string; prefix: string; name: string }>(sql`
      UPDATE api_keys SET revoked_at = now() WHERE user_id = ${account.id} AND revoked_at IS NULL RETURNING id, prefix, name`, tx);
    for (const key of keys) {
      await recordAudit(ctx.database, tx, actor, {
        action: "apiKey.revoke", targetKind: "apiKey", targetId: key.id, ...scope,
        before: { prefix: key.prefix, name: key.name, revoked: false }, after: { prefix: key.prefix, name: key.name, revoked: true },
      });
    }
    await recordAudit(ctx.database, tx, actor, {
      action: "serviceAccount.delete", targetKind: "serviceAccount", targetId: account.id, ...scope,
      before: { name: account.name, email: account.email, role: account.role }, after: { disabled: true, revokedKeys: keys.length },
    });
    return keys;
  });
  if (!revoked) return { deleted: false, revokedKeys: 0 };
  ctx.sockets.accessChanged();
  for (const key of revoked) ctx.sockets.disconnectCredential({ kind: "key", id: key.id });
  return { deleted: true, revokedKeys: revoked.length };
}
