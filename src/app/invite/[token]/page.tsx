import type { Metadata } from "next";
import Link from "next/link";
import { InviteAccept } from "@/features/invite/invite-accept";
import { currentUser } from "@/server/auth/page-actor";
import { AppError } from "@/server/errors";
import { getServices } from "@/server/registry";
import { getMe } from "@/server/services/accounts/me";
import { lookupInvite, type InviteInfo } from "@/server/services/invites/lookup-invite";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const services = getServices();
  let invite: InviteInfo | null = null;
  try {
    invite = await lookupInvite(services.database, { token });
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== "not_found" && error.code !== "invalid")) throw error;
  }
  if (!invite) {
    return <Problem title="This invite link does not work">It is unknown or was revoked. Ask a workspace admin for a new one.</Problem>;
  }
  if (invite.used) {
    return <Problem title="This invite has already been used">Each invite link works once. If it was yours, sign in; otherwise ask for a new link.</Problem>;
  }
  if (invite.expired) {
    return <Problem title="This invite has expired">{`It was valid until ${invite.expiresAt.slice(0, 10)}. Ask a workspace admin for a new one.`}</Problem>;
  }
  const user = await currentUser();
  const me = user ? await getMe({ ...services, actor: user }) : null;
  return (
    <InviteAccept
      token={token}
      invite={invite}
      signedInAs={me ? { email: me.email, name: me.name, alreadyMember: me.workspaces.some((w) => w.slug === invite.workspace.slug) } : null}
    />
  );
}

function Problem({ title, children }: { title: string; children: string }) {
  return (
    <div className="auth-card" role="alert">
      <h1>{title}</h1>
      <p>{children}</p>
      <p><Link href="/signin">Go to sign-in</Link></p>
    </div>
  );
}
