"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { signIn, signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { ErrorText, Field } from "@/components/form";
import type { InviteInfo } from "@/server/services/invites/lookup-invite";
import { useTRPC } from "@/trpc/client";

/** Join a workspace from an invite link: as the signed-in person, or by creating an account. */
export function InviteAccept({ token, invite, signedInAs }: {
  token: string; invite: InviteInfo; signedInAs: { email: string; name: string | null; alreadyMember: boolean } | null;
}) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.invites.accept.mutationOptions());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const inviter = invite.invitedBy.name || invite.invitedBy.email;
  const wrongPerson = !!(signedInAs && invite.email && invite.email !== signedInAs.email.toLowerCase());

  async function acceptAsMe() {
    setError(null);
    setBusy(true);
    try {
      const result = await accept.mutateAsync({ token });
      window.location.assign(`/${result.workspaceSlug}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  async function createAccount(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const account = { name: String(form.get("name") ?? ""), email: invite.email ?? String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    setError(null);
    setBusy(true);
    try {
      const result = await accept.mutateAsync({ token, account });
      const signedIn = await signIn("password", { email: account.email, password: account.password, redirect: false });
      window.location.assign(signedIn?.error ? `/signin?callbackUrl=${encodeURIComponent(`/${result.workspaceSlug}`)}` : `/${result.workspaceSlug}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div className="auth-card">
      <h1>{`Join ${invite.workspace.name}`}</h1>
      <p>
        {inviter ? `${inviter} invited you` : "You are invited"} to the workspace <strong>{invite.workspace.name}</strong> as{" "}
        <strong data-testid="invite-role">{invite.role}</strong>.
      </p>
      {invite.email && <p className="muted">{`This invite is for ${invite.email}.`}</p>}

      {signedInAs ? (
        <div className="stack">
          <p>{`You are signed in as ${signedInAs.email}.`}</p>
          {signedInAs.alreadyMember && <p className="muted">You already belong to this workspace; accepting keeps the stronger of your roles.</p>}
          {wrongPerson
            ? <button type="button" className="btn btn-wide" onClick={() => signOut({ callbackUrl: `/invite/${token}` })}>Sign out to accept as someone else</button>
            : <button type="button" className="btn btn-primary" disabled={busy} onClick={acceptAsMe}>Accept invitation</button>}
          <ErrorText error={error} />
        </div>
      ) : (
        <>
          <form onSubmit={createAccount} className="stack" aria-label="Create account and join">
            <Field label="Your name" name="name" autoComplete="name" required />
            {invite.email
              ? <Field label="Email" value={invite.email} readOnly />
              : <Field label="Email" name="email" type="email" autoComplete="username" required />}
            <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." />
            <ErrorText error={error} />
            <button type="submit" className="btn btn-primary" disabled={busy}>Create account and join</button>
          </form>
          <p className="muted auth-foot">
            Already have an account? <Link href={`/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>Sign in to accept</Link>
          </p>
        </>
      )}
    </div>
  );
}
