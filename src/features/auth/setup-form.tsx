"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { ErrorText, Field } from "@/components/form";
import { useTRPC } from "@/trpc/client";

/**
 * The first visit to a fresh server: the instance admin and the first workspace. When the
 * server asks for its set-up token and the link did not carry it, the form asks for it.
 */
export function SetupForm({ tokenRequired, token }: { tokenRequired: boolean; token: string }) {
  const trpc = useTRPC();
  const setup = useMutation(trpc.account.setup.mutationOptions());
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""), workspaceName: String(form.get("workspaceName") ?? ""),
      ...(tokenRequired ? { setupToken: String(form.get("setupToken") ?? "").trim() } : {}),
    };
    setError(null);
    try {
      await setup.mutateAsync(input);
      const result = await signIn("password", { email: input.email, password: input.password, redirect: false });
      if (result?.error) throw new Error("The account was created, but signing in failed: sign in on the next page.");
      window.location.assign("/");
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="auth-card">
      <h1>Set up Cairn</h1>
      <p className="muted">Create the first administrator and your team&apos;s workspace. You can invite others afterwards.</p>
      <form onSubmit={submit} className="stack">
        {tokenRequired && (token
          ? <input type="hidden" name="setupToken" value={token} />
          : <Field label="Set-up token" name="setupToken" autoComplete="off" required
              hint="The server printed a set-up link when it started; the token is its ?token= part." />)}
        <Field label="Your name" name="name" autoComplete="name" required autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="username" required />
        <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." />
        <Field label="Workspace name" name="workspaceName" required placeholder="e.g. Vision team" />
        <ErrorText error={error} />
        <button type="submit" className="btn btn-primary" disabled={setup.isPending}>{setup.isPending ? "Setting up…" : "Create admin and workspace"}</button>
      </form>
    </div>
  );
}
