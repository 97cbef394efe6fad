import { sql } from "drizzle-orm";
import { AcceptInviteInput, type InviteRole, type WorkspaceRole } from "@/contracts/workspaces";
import type { Actor } from "@/server/authz/actor";
import { hashSecret } from "@/server/authz/authenticate-key";
import { workspaceRank } from "@/server/authz/workspace-role";
import type { Database, Db } from "@/server/db/client";
import { conflict, forbidden, notFound, unauthorized } from "@/server/errors";
import { hashPassword } from "@/server/auth/passwords";
import { assertEmailFree, createPersonIn } from "../accounts/sign-up";
import { recordAudit } from "../audit/record-audit";
import type { Services } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";

export type AcceptedInvite = { userId: string; workspaceId: string; workspaceSlug: string; role: WorkspaceRole; created: boolean };

type Claimed = { id: string; workspace_id: string; role: InviteRole; email: string | null };

/**
 * Joins the workspace through an invite, as the signed-in person or — with `account` — as a
 * new one. Single use: the invite is claimed by one conditional UPDATE, so of two concurrent
 * accepts exactly one wins and the other gets 409. Someone already in the workspace keeps
 * their role unless the invite's is stronger.
 */
export async function acceptInvite(ctx: Services & { actor: Actor | null }, raw: unknown): Promise<AcceptedInvite> {
  const input = parseInput(AcceptInviteInput, raw);
  if (!input.account && ctx.actor?.kind !== "user") throw unauthorized("sign in, or give the details of a new account, to accept this invite");
  const { database } = ctx;
  const tokenHash = hashSecret(input.token);
  // A new account's password is hashed only once the invite could be accepted, so refused calls
  // cost no scrypt time; the claim below decides for real.
  let passwordHash: string | null = null;
  if (input.account) {
    const invite = await usable(database, tokenHash);
    if (invite.email && invite.email !== input.account.email) throw forbidden(`this invite is for ${invite.email}`);
    await assertEmailFree(database, input.account.email);
    passwordHash = await hashPassword(input.account.password);
  }
  const accepted = await inTransaction(database, async (tx) => {
    const invite = await claim(database, tx, tokenHash);

    let userId: string;
    let created = false;
    if (input.account) {
      if (invite.email && invite.email !== input.account.email) throw forbidden(`this invite is for ${invite.email}`);
      userId = (await createPersonIn(database, tx, { name: input.account.name, email: input.account.email, passwordHash: passwordHash! })).id;
      created = true;
    } else {
      userId = (ctx.actor as Actor & { kind: "user" }).userId;
      const [me] = await database.rows<{ email: string; disabled: boolean }>(sql`
        SELECT email, (disabled_at IS NOT NULL) AS disabled FROM users WHERE id = ${userId}`, tx);
      if (!me || me.disabled) throw unauthorized("sign in first");
      if (invite.email && invite.email !== me.email.toLowerCase()) throw forbidden(`this invite is for ${invite.email}; you are signed in as ${me.email}`);
    }
    const actor: Actor = { kind: "user", userId };
    const scope = { targetKind: "user", targetId: userId, workspaceId: invite.workspace_id };

    const [current] = await database.rows<{ role: WorkspaceRole }>(sql`
      SELECT role FROM workspace_members WHERE workspace_id = ${invite.workspace_id} AND user_id = ${userId} FOR UPDATE`, tx);
    let role: WorkspaceRole = invite.role;
    if (!current) {
      await database.rows(sql`
        INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${invite.workspace_id}, ${userId}, ${invite.role})`, tx);
      await recordAudit(database, tx, actor, { action: "workspace.member.add", ...scope, before: null, after: { role, via: "invite", inviteId: invite.id } });
    } else if (workspaceRank(current.role) < workspaceRank(invite.role)) {
      await database.rows(sql`
        UPDATE workspace_members SET role = ${invite.role} WHERE workspace_id = ${invite.workspace_id} AND user_id = ${userId}`, tx);
      await recordAudit(database, tx, actor, {
        action: "workspace.member.role", ...scope, before: { role: current.role }, after: { role, via: "invite", inviteId: invite.id },
      });
    } else {
      role = current.role;
    }
    await database.rows(sql`UPDATE invites SET accepted_by = ${userId} WHERE id = ${invite.id}`, tx);
    await recordAudit(database, tx, actor, {
      action: "invite.accept", targetKind: "invite", targetId: invite.id, workspaceId: invite.workspace_id,
      before: { role: invite.role, email: invite.email }, after: { acceptedBy: userId, newAccount: created },
    });
    const [ws] = await database.rows<{ slug: string }>(sql`SELECT slug FROM workspaces WHERE id = ${invite.workspace_id}`, tx);
    return { userId, workspaceId: invite.workspace_id, workspaceSlug: ws.slug, role, created };
  });
  ctx.sockets.accessChanged();
  return accepted;
}

/** Marks the invite used, or says why it cannot be: 404 unknown or revoked, 409 used or expired. */
async function claim(database: Database, tx: Db, tokenHash: string): Promise<Claimed> {
  const [row] = await database.rows<Claimed>(sql`
    UPDATE invites SET accepted_at = now()
    WHERE token_hash = ${tokenHash} AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
    RETURNING id, workspace_id, role, email`, tx);
  if (row) return row;
  await usable(database, tokenHash, tx);
  throw conflict("this invite has expired; ask for a new one");
}

/** The invite when it could still be accepted; otherwise the same refusals as `claim`. */
async function usable(database: Database, tokenHash: string, tx?: Db): Promise<{ email: string | null }> {
  const [state] = await database.rows<{ email: string | null; accepted_at: Date | null; revoked_at: Date | null; expired: boolean }>(sql`
    SELECT email, accepted_at, revoked_at, (expires_at <= now()) AS expired FROM invites WHERE token_hash = ${tokenHash}`, tx);
  if (!state || state.revoked_at) throw notFound("invite");
  if (state.accepted_at) throw conflict("this invite has already been used; ask for a new one");
  if (state.expired) throw conflict("this invite has expired; ask for a new one");
  return { email: state.email };
}
