"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { KeyCells } from "@/components/key-cells";
import { RevocableStatus } from "@/components/revocable-status";
import { SecretBox } from "@/components/copy-button";
import { ErrorText, Field, Notice, SelectField } from "@/components/form";
import { When } from "@/components/when";
import type { ServiceAccountRole } from "@/contracts/service-accounts";
import type { ServiceAccountInfo } from "@/server/services/service-accounts/list-service-accounts";
import { useTRPC } from "@/trpc/client";

const SA_ROLES: ServiceAccountRole[] = ["viewer", "contributor", "maintainer"];

/** The project's service accounts (robots for CI and pipelines) and their keys; maintainers and owners. */
export function ServiceAccounts({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useQuery(trpc.serviceAccounts.list.queryOptions({ projectId }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.serviceAccounts.list.queryKey({ projectId }) });
  const create = useMutation(trpc.serviceAccounts.create.mutationOptions({ onSettled: invalidate }));
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    create.mutate({ projectId, name: String(form.get("name") ?? ""), role: String(form.get("role")) as ServiceAccountRole }, { onSuccess: () => formEl.reset() });
  }

  return (
    <section className="settings-section" aria-labelledby="sa-h">
      <h2 id="sa-h">Service accounts</h2>
      <p className="muted">For CI jobs and pipelines: an account that belongs to this project, never signs in, and logs with its own keys.</p>
      <form className="panel row" onSubmit={submit} aria-label="Create service account">
        <Field label="Service account name" name="name" required maxLength={100} placeholder="e.g. nightly-training" />
        <SelectField label="Role" name="role" defaultValue="contributor" options={SA_ROLES} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>Create service account</button>
        <ErrorText error={create.error} />
      </form>
      {secret && (
        <div className="panel">
          <Notice tone="warn"><strong>{`Copy the secret of ${secret.label} now.`}</strong> It is shown only once.</Notice>
          <SecretBox value={secret.value} label="New service account key secret" />
          <button type="button" className="btn btn-small" onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      {accounts.isLoading && <p className="muted">Loading…</p>}
        <ErrorText error={accounts.error} />
      {accounts.data && accounts.data.length === 0 && <div className="panel"><p className="muted">No service accounts yet.</p></div>}
      {accounts.data?.map((a) => (
        <ServiceAccountCard key={a.id} account={a} onChanged={invalidate} onSecret={(label, value) => setSecret({ label, value })} />
      ))}
    </section>
  );
}

function ServiceAccountCard({ account, onChanged, onSecret }: {
  account: ServiceAccountInfo; onChanged: () => void; onSecret: (label: string, value: string) => void;
}) {
  const trpc = useTRPC();
  const update = useMutation(trpc.serviceAccounts.update.mutationOptions({ onSettled: onChanged }));
  const remove = useMutation(trpc.serviceAccounts.delete.mutationOptions({ onSettled: onChanged }));
  const createKey = useMutation(trpc.serviceAccounts.createKey.mutationOptions({ onSettled: onChanged }));
  const revokeKey = useMutation(trpc.serviceAccounts.revokeKey.mutationOptions({ onSettled: onChanged }));

  function submitKey(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const name = String(form.get("name") ?? "");
    const days = String(form.get("days") ?? "");
    createKey.mutate(
      { serviceAccountId: account.id, name, readOnly: form.get("readOnly") === "on", ...(days ? { expiresInDays: Number(days) } : {}) },
      { onSuccess: (k) => { onSecret(`${account.name} / ${name}`, k.secret); formEl.reset(); } },
    );
  }

  return (
    <div className="panel stack" aria-label={`Service account ${account.name}`} role="group">
      <div className="row" style={{ alignItems: "center" }}>
        <strong>{account.name}</strong>
        <span className="muted mono">{account.email}</span>
        <select className="input" aria-label={`Role of ${account.name}`} value={account.role ?? ""} disabled={update.isPending}
          onChange={(e) => update.mutate({ serviceAccountId: account.id, role: e.currentTarget.value as ServiceAccountRole })}>
          {SA_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <span className="muted">created <When iso={account.createdAt} />{account.createdBy ? ` by ${account.createdBy.name || account.createdBy.email}` : ""}</span>
        <span className="spacer" />
        <ConfirmButton label="Delete" question={`Delete ${account.name} and revoke all its keys?`} disabled={remove.isPending}
          onConfirm={() => remove.mutate({ serviceAccountId: account.id })} />
      </div>
      <ErrorText error={update.error ?? remove.error ?? createKey.error ?? revokeKey.error} />
      {account.keys.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={`Keys of ${account.name}`}>
            <thead><tr><th>Key</th><th>Prefix</th><th>Created</th><th>Last used</th><th>Expires</th><th>Access</th><th /></tr></thead>
            <tbody>
              {account.keys.map((k) => (
                <tr key={k.id}>
                  <KeyCells k={k} />
                  <td>{k.readOnly ? "read-only" : "read and write"}</td>
                  <td className="num">
                    <RevocableStatus revokedAt={k.revokedAt} expiresAt={k.expiresAt} question={`Revoke key “${k.name}”?`}
                      pending={revokeKey.isPending} onRevoke={() => revokeKey.mutate({ serviceAccountId: account.id, keyId: k.id })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="row" onSubmit={submitKey} aria-label={`New key for ${account.name}`}>
        <Field label="New key name" name="name" required maxLength={100} />
        <SelectField label="Expires" name="days" defaultValue="" options={[{ value: "", label: "Never" }, { value: "30", label: "30 days" }, { value: "90", label: "90 days" }, { value: "365", label: "1 year" }]} />
        <label className="check"><input type="checkbox" name="readOnly" /> Read-only</label>
        <button type="submit" className="btn" disabled={createKey.isPending}>Create key</button>
      </form>
    </div>
  );
}
