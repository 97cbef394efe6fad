import { sql } from "drizzle-orm";
import { UpdateServiceAccountInput } from "@/contracts/service-accounts";
import type { Db } from "@/server/db/client";
import { notFound } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { findServiceAccount, lockLiveServiceAccount } from "./find-service-account";
import { assertMayGrant } from "./role-cap";

/** Renames a service account or changes its role (again never above the caller's own). */
export async function updateServiceAccount(ctx: Ctx, raw: unknown): Promise<{ id: string; name: string; role: string | null }> {
  const input = parseInput(UpdateServiceAccountInput, raw);
  const account = await findServiceAccount(ctx, input.serviceAccountId.toLowerCase());
  if (account.disabled) throw notFound("service account");
  if (input.role) await assertMayGrant(ctx, account.projectId, input.role);
  const name = input.name ?? account.name;
  const role = input.role ?? account.role;
  const actor = ctx.actor;
  await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    if (!(await lockLiveServiceAccount(ctx, tx, account.id))) throw notFound("service account");
    await ctx.database.rows(sql`UPDATE users SET name = ${name} WHERE id = ${account.id}`, tx);
    if (input.role) {
      await ctx.database.rows(sql`
        INSERT INTO project_members (project_id, user_id, role) VALUES (${account.projectId}, ${account.id}, ${input.role})
        ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`, tx);
    }
    await recordAudit(ctx.database, tx, actor, {
      action: "serviceAccount.update", targetKind: "serviceAccount", targetId: account.id,
      workspaceId: account.workspaceId, projectId: account.projectId,
      before: { name: account.name, role: account.role }, after: { name, role },
    });
  });
  // A lower role must bind its keys at once, not when the role cache expires.
  if (input.role && input.role !== account.role) ctx.sockets.accessChanged();
  return { id: account.id, name, role };
}
