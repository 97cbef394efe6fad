import { sql } from "drizzle-orm";
import { LookupInviteInput, type InviteRole } from "@/contracts/workspaces";
import { hashSecret } from "@/server/authz/authenticate-key";
import type { Database } from "@/server/db/client";
import { iso } from "@/server/db/values";
import { notFound } from "@/server/errors";
import { parseInput } from "../parse-input";

export type InviteInfo = {
  workspace: { name: string; slug: string };
  role: InviteRole;
  /** Only this address may accept (null: anyone holding the link). */
  email: string | null;
  invitedBy: { name: string | null; email: string | null };
  expiresAt: string;
  expired: boolean;
  used: boolean;
};

/** What the invite page shows before anyone signs in. Unknown and revoked tokens are 404 alike. */
export async function lookupInvite(database: Database, raw: unknown): Promise<InviteInfo> {
  const input = parseInput(LookupInviteInput, raw);
  const [row] = await database.rows<{
    workspace_name: string; workspace_slug: string; role: InviteRole; email: string | null;
    inviter_name: string | null; inviter_email: string | null; expires_at: Date | string; accepted_at: Date | string | null; revoked_at: Date | string | null;
  }>(sql`
    SELECT w.name AS workspace_name, w.slug AS workspace_slug, i.role, i.email, u.name AS inviter_name, u.email AS inviter_email,
      i.expires_at, i.accepted_at, i.revoked_at
    FROM invites i JOIN workspaces w ON w.id = i.workspace_id LEFT JOIN users u ON u.id = i.created_by
    WHERE i.token_hash = ${hashSecret(input.token)}`);
  if (!row || row.revoked_at) throw notFound("invite");
  return {
    workspace: { name: row.workspace_name, slug: row.workspace_slug }, role: row.role, email: row.email,
    invitedBy: { name: row.inviter_name, email: row.inviter_email },
    expiresAt: iso(row.expires_at)!, expired: new Date(row.expires_at).getTime() <= Date.now(), used: row.accepted_at !== null,
  };
}
