"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { ErrorText, Field } from "@/components/form";
import { useTRPC } from "@/trpc/client";

export function SignUpForm() {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    setError(null);
    try {
      await signUp.mutateAsync(input);
      const result = await signIn("password", { email: input.email, password: input.password, redirect: false });
      if (result?.error) throw new Error("Your account was created, but signing in failed: sign in instead.");
      window.location.assign("/");
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="auth-card">
      <h1>Create your account</h1>
      <form onSubmit={submit} className="stack">
        <Field label="Your name" name="name" autoComplete="name" required autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="username" required />
        <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." />
        <ErrorText error={error} />
        <button type="submit" className="btn btn-primary" disabled={signUp.isPending}>Create account</button>
      </form>
      <p className="muted auth-foot">Already have an account? <Link href="/signin">Sign in</Link></p>
    </div>
  );
}
