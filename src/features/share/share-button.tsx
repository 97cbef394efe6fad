"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { SecretBox } from "@/components/copy-button";
import { ErrorText, Field, SelectField } from "@/components/form";
import type { ShareTarget } from "@/contracts/share-links";
import { useTRPC } from "@/trpc/client";

const EXPIRY = [{ value: "", label: "Never" }, { value: "1", label: "1 day" }, { value: "7", label: "7 days" }, { value: "30", label: "30 days" }];

/**
 * "Share": makes a read-only link to a run, a comparison or a table view that opens without an
 * account. Shown to contributors and up; maintainers list and revoke links in project settings.
 */
export function ShareButton({ projectId, target, what }: { projectId: string; target: ShareTarget; what: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const create = useMutation(trpc.shareLinks.create.mutationOptions());

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const days = String(form.get("days") ?? "");
    create.mutate({ projectId, target, label: String(form.get("label") ?? ""), ...(days ? { expiresInDays: Number(days) } : {}) });
  }

  if (!open) return <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>Share</button>;
  return (
    <div className="share-panel" role="dialog" aria-label="Share">
      {create.data
        ? (
          <>
            <p>Anyone with this link can view {what}, read-only and live, until it expires or is revoked.</p>
            <SecretBox value={create.data.url} label="Share link" />
          </>
        )
        : (
          <form className="row" onSubmit={submit}>
            <Field label="Label" name="label" maxLength={200} placeholder="for the weekly review" />
            <SelectField label="Expires" name="days" defaultValue="" options={EXPIRY} />
            <button type="submit" className="btn" disabled={create.isPending}>Create link</button>
          </form>
        )}
      <ErrorText error={create.error} />
      <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>Close</button>
    </div>
  );
}
