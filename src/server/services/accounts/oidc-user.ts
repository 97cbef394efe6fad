import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { normalizeEmail } from "./sign-in";
import { openSignUp } from "./instance-settings";

export type OidcIdentity = { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null };

/**
 * The Cairn account for a single sign-on identity: the one already linked to it, else the
 * account with the same verified e-mail (linked now), else a new account when sign-up is
 * open. Null when the person has no account and may not create one.
 */
export async function accountForOidc(database: Database, who: OidcIdentity): Promise<{ id: string } | null> {
  const subject = `${who.issuer} ${who.subject}`;
  const [linked] = await database.rows<{ id: string; disabled_at: Date | null }>(sql`
    SELECT id, disabled_at FROM users WHERE oidc_subject = ${subject}`);
  if (linked) return linked.disabled_at ? null : { id: linked.id };
  if (!who.email || !who.emailVerified) return null;
  const email = normalizeEmail(who.email);
  const [byEmail] = await database.rows<{ id: string }>(sql`
    UPDATE users SET oidc_subject = ${subject}
    WHERE email = ${email} AND kind = 'person' AND oidc_subject IS NULL AND disabled_at IS NULL RETURNING id`);
  if (byEmail) return byEmail;
  if (!(await openSignUp(database))) return null;
  const [created] = await database.rows<{ id: string }>(sql`
    INSERT INTO users (email, name, oidc_subject) VALUES (${email}, ${who.name}, ${subject})
    ON CONFLICT (email) DO NOTHING RETURNING id`);
  return created ?? null;
}
