import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { CreateInviteInput, type InviteRole } from "@/contracts/workspaces";
import { userIdOf } from "@/server/authz/actor";
import { hashSecret } from "@/server/authz/authenticate-key";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { forbidden } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";

export type CreatedInvite = { id: string; url: string; token: string; role: InviteRole; email: string | null; expiresAt: string };

/**
 * A single-use link that lets its holder join the workspace (creating an account if need be).
 * The token is shown once; only its sha256 is stored. Workspace admins and owners only.
 */
export async function createInvite(ctx: Ctx, raw: unknown): Promise<CreatedInvite> {
  const input = parseInput(CreateInviteInput, raw);
  const inviter = userIdOf(ctx.actor);
  if (!inviter) throw forbidden("only a signed-in person can invite");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const id = await inTransaction(ctx.database, async (tx) => {
    await authorizeWorkspace(ctx.database, ctx.actor, "admin", input.workspaceId, tx);
    const [row] = await ctx.database.rows<{ id: string }>(sql`
      INSERT INTO invites (workspace_id, token_hash, role, email, created_by, expires_at)
      VALUES (${input.workspaceId}, ${hashSecret(token)}, ${input.role}, ${input.email ?? null}, ${inviter}, ${expiresAt.toISOString()})
      RETURNING id`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "invite.create", targetKind: "invite", targetId: row.id, workspaceId: input.workspaceId,
      after: { role: input.role, email: input.email ?? null, expiresAt: expiresAt.toISOString() },
    });
    return row.id;
  });
  return {
    id, token, url: `${ctx.publicUrl.replace(/\/+$/, "")}/invite/${token}`, role: input.role, email: input.email ?? null,
    expiresAt: expiresAt.toISOString(),
  };
}
