"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { ErrorText, Field } from "@/components/form";
import { signInErrorText } from "./sign-in-errors";

export function SignInForm({ callbackUrl, initialError, sso, openSignUp }: {
  callbackUrl: string; initialError: string | null; sso: { name: string } | null; openSignUp: boolean;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn("password", {
      email: String(form.get("email") ?? ""), password: String(form.get("password") ?? ""), redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full load so the server renders the signed-in layout.
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(signInErrorText(result?.error ?? "Default"));
  }

  return (
    <div className="auth-card">
      <h1>Sign in to Cairn</h1>
      <form onSubmit={submit} className="stack">
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <ErrorText error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      </form>
      {sso && (
        <>
          <div className="or"><span>or</span></div>
          <button type="button" className="btn btn-wide" onClick={() => signIn("oidc", { callbackUrl })}>{`Sign in with ${sso.name}`}</button>
        </>
      )}
      {openSignUp && <p className="muted auth-foot">No account yet? <Link href="/signup">Create one</Link></p>}
    </div>
  );
}
