"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorText, Field, Notice } from "@/components/form";
import { useTRPC } from "@/trpc/client";

export function ProfileSection({ name, email }: { name: string | null; email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(trpc.account.updateName.mutationOptions({
    onSuccess: () => {
      setSaved(true);
      return queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
    },
  }));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    update.mutate({ name: String(new FormData(e.currentTarget).get("name") ?? "") });
  }
  return (
    <section className="settings-section" aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      <form className="panel stack" onSubmit={submit}>
        <div className="row">
          <Field label="Name" name="name" defaultValue={name ?? ""} required autoComplete="name" />
          <Field label="Email" value={email} readOnly disabled />
          <button type="submit" className="btn" disabled={update.isPending}>Save name</button>
        </div>
        <ErrorText error={update.error} />
        {saved && <Notice tone="ok">Name saved.</Notice>}
      </form>
    </section>
  );
}

export function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
  const trpc = useTRPC();
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const next = String(form.get("next") ?? "");
    setDone(false);
    setMismatch(next !== String(form.get("repeat") ?? ""));
    if (next !== String(form.get("repeat") ?? "")) return;
    change.mutate({ current: String(form.get("current") ?? ""), next }, {
      onSuccess: () => { setDone(true); formEl.reset(); },
    });
  }
  return (
    <section className="settings-section" aria-labelledby="password-h">
      <h2 id="password-h">{hasPassword ? "Change password" : "Set a password"}</h2>
      <form className="panel stack" onSubmit={submit}>
        {!hasPassword && <p className="muted">You sign in with single sign-on. A password lets you sign in without it too.</p>}
        <div className="row">
          {hasPassword && <Field label="Current password" name="current" type="password" autoComplete="current-password" required />}
          <Field label="New password" name="next" type="password" autoComplete="new-password" minLength={8} required />
          <Field label="Repeat new password" name="repeat" type="password" autoComplete="new-password" minLength={8} required />
          <button type="submit" className="btn" disabled={change.isPending}>{hasPassword ? "Change password" : "Set password"}</button>
        </div>
        <ErrorText error={mismatch ? "the new passwords differ" : change.error} />
        {done && <Notice tone="ok">Password changed.</Notice>}
      </form>
    </section>
  );
}

export function InstanceSection({ openSignUp }: { openSignUp: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(openSignUp);
  // Optimistic: the box follows the click at once and goes back if the server refuses.
  const set = useMutation(trpc.account.setOpenSignUp.mutationOptions({
    onMutate: (input) => setOpen(input.open),
    onSuccess: (r) => setOpen(r.open),
    onError: (_e, input) => setOpen(!input.open),
  }));
  return (
    <section className="settings-section" aria-labelledby="instance-h">
      <h2 id="instance-h">Server</h2>
      <div className="panel stack">
        <label className="check">
          <input type="checkbox" checked={open} disabled={set.isPending} onChange={(e) => set.mutate({ open: e.currentTarget.checked })} />
          Open sign-up: anyone who can reach this server may create an account
        </label>
        <p className="muted">{open ? "New accounts belong to no workspace until someone invites them." : "Accounts are created from invite links only."}</p>
        <ErrorText error={set.error} />
      </div>
    </section>
  );
}
