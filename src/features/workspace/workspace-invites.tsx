"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { SecretBox } from "@/components/copy-button";
import { ErrorText, Field, Notice, SelectField } from "@/components/form";
import { When } from "@/components/when";
import { useTRPC } from "@/trpc/client";

/** Invite links: create one (role, optional address), copy it, see pending ones, revoke. */
export function WorkspaceInvites({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invites = useQuery(trpc.invites.list.queryOptions({ workspaceId }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.invites.list.queryKey({ workspaceId }) });
  const create = useMutation(trpc.invites.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.invites.revoke.mutationOptions({ onSettled: invalidate }));
  const [link, setLink] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const email = String(form.get("email") ?? "").trim();
    setLink(null);
    create.mutate(
      { workspaceId, role: form.get("role") === "admin" ? "admin" : "member", expiresInDays: Number(form.get("days") ?? 7), ...(email ? { email } : {}) },
      { onSuccess: (invite) => { setLink(invite.url); formEl.reset(); } },
    );
  }

  return (
    <section className="settings-section" aria-labelledby="invites-h">
      <h2 id="invites-h">Invite links</h2>
      <form className="panel stack" onSubmit={submit} aria-label="Create invite link">
        <div className="row">
          <SelectField label="Role" name="role" defaultValue="member" options={["member", "admin"]} />
          <Field label="Only for this email (optional)" name="email" type="email" placeholder="anyone with the link" />
          <SelectField label="Valid for" name="days" defaultValue="7" options={[{ value: "1", label: "1 day" }, { value: "7", label: "7 days" }, { value: "30", label: "30 days" }, { value: "90", label: "90 days" }]} />
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>Create invite link</button>
        </div>
        <ErrorText error={create.error} />
        {link && (
          <div>
            <Notice tone="warn">Send this link to the person you invite. Anyone holding it can join once; it is shown only now.</Notice>
            <SecretBox value={link} label="Invite link" />
          </div>
        )}
      </form>
      <div className="panel table-wrap">
        {invites.isLoading && <p className="muted">Loading…</p>}
        <ErrorText error={invites.error ?? revoke.error} />
        {invites.data && invites.data.length === 0 && <p className="muted">No pending invites.</p>}
        {invites.data && invites.data.length > 0 && (
          <table className="table" aria-label="Pending invites">
            <thead><tr><th>Role</th><th>For</th><th>Invited by</th><th>Created</th><th>Expires</th><th /></tr></thead>
            <tbody>
              {invites.data.map((i) => (
                <tr key={i.id}>
                  <td>{i.role}</td>
                  <td>{i.email ?? <span className="muted">anyone with the link</span>}</td>
                  <td>{i.invitedBy.name || i.invitedBy.email || "—"}</td>
                  <td><When iso={i.createdAt} /></td>
                  <td><When iso={i.expiresAt} /></td>
                  <td className="num"><ConfirmButton label="Revoke" question="Revoke this invite link?" disabled={revoke.isPending} onConfirm={() => revoke.mutate({ inviteId: i.id })} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
