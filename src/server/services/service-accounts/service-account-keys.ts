import { sql } from "drizzle-orm";
import { CreateServiceAccountKeyInput, RevokeServiceAccountKeyInput } from "@/contracts/service-accounts";
import type { Db } from "@/server/db/client";
import { notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import { daysFromNow, insertApiKey, type CreatedKey } from "../keys/create-api-key";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { findServiceAccount, lockLiveServiceAccount } from "./find-service-account";

/** A key for a service account, always limited to its project; the secret is shown once. */
export async function createServiceAccountKey(ctx: Ctx, raw: unknown): Promise<CreatedKey & { expiresAt: string | null }> {
  const input = parseInput(CreateServiceAccountKeyInput, raw);
  const account = await findServiceAccount(ctx, input.serviceAccountId.toLowerCase());
  if (account.disabled) throw notFound("service account");
  const expiresAt = daysFromNow(input.expiresInDays);
  const actor = ctx.actor;
  const key = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    if (!(await lockLiveServiceAccount(ctx, tx, account.id))) throw notFound("service account");
    return insertApiKey(ctx.database, tx, actor, {
      userId: account.id, name: input.name, projectIds: [account.projectId], readOnly: input.readOnly, expiresAt,
    }, { workspaceId: account.workspaceId, projectId: account.projectId });
  });
  return { ...key, expiresAt: expiresAt?.toISOString() ?? null };
}

/** Revokes one of a service account's keys and closes its sockets on every process. */
export async function revokeServiceAccountKey(ctx: Ctx, raw: unknown): Promise<{ revoked: boolean }> {
  const input = parseInput(RevokeServiceAccountKeyInput, raw);
  const account = await findServiceAccount(ctx, input.serviceAccountId.toLowerCase());
  const keyId = input.keyId.toLowerCase();
  const actor = ctx.actor;
  const revoked = await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [key] = await ctx.database.rows<{ id: string; prefix: string; name: string; revoked: boolean }>(sql`
      SELECT id, prefix, name, (revoked_at IS NOT NULL) AS revoked FROM api_keys
      WHERE id = ${keyId} AND user_id = ${account.id} FOR UPDATE`, tx);
    if (!key) throw notFound("API key");
    if (key.revoked) return false;
    await ctx.database.rows(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${key.id}`, tx);
    await recordAudit(ctx.database, tx, actor, {
      action: "apiKey.revoke", targetKind: "apiKey", targetId: key.id, workspaceId: account.workspaceId, projectId: account.projectId,
      before: { prefix: key.prefix, name: key.name, revoked: false }, after: { prefix: key.prefix, name: key.name, revoked: true },
    });
    return true;
  });
  if (revoked) {
    ctx.sockets.accessChanged();
    ctx.sockets.disconnectCredential({ kind: "key", id: keyId });
  }
  return { revoked };
}
