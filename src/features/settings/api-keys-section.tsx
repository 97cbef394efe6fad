"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { KeyCells } from "@/components/key-cells";
import { RevocableStatus } from "@/components/revocable-status";
import { SecretBox } from "@/components/copy-button";
import { ErrorText, Field, Notice, SelectField } from "@/components/form";
import { useTRPC } from "@/trpc/client";

export type ProjectChoice = { id: string; label: string };

const EXPIRY = [
  { value: "", label: "Never" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
];

/** The signed-in person's own API keys: create (secret shown once), list, revoke. */
export function ApiKeysSection({ projects }: { projects: ProjectChoice[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.keys.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
  const create = useMutation(trpc.keys.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSuccess: invalidate }));
  const [limit, setLimit] = useState(false);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const name = String(form.get("name") ?? "");
    const expiry = String(form.get("expiry") ?? "");
    const projectIds = limit ? form.getAll("projectIds").map(String) : undefined;
    setCreated(null);
    create.mutate(
      { name, readOnly: form.get("readOnly") === "on", ...(projectIds ? { projectIds } : {}), ...(expiry ? { expiresInDays: Number(expiry) } : {}) },
      { onSuccess: (key) => { setCreated({ name, secret: key.secret }); formEl.reset(); setLimit(false); } },
    );
  }

  const names = new Map(projects.map((p) => [p.id, p.label]));
  return (
    <section className="settings-section" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <p className="muted">Training scripts use an API key to log runs as you. A key can do at most what you can, in the projects it is limited to.</p>
      {created && (
        <div className="panel">
          <Notice tone="warn">
            <strong>{`Copy the secret of “${created.name}” now.`}</strong> It is shown only once; Cairn keeps only a hash of it.
          </Notice>
          <SecretBox value={created.secret} label="New API key secret" />
          <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <form className="panel stack" onSubmit={submit} aria-label="Create API key">
        <div className="row">
          <Field label="Key name" name="name" required maxLength={100} placeholder="e.g. laptop training" />
          <SelectField label="Expires" name="expiry" options={EXPIRY} defaultValue="90" />
          <label className="check"><input type="checkbox" name="readOnly" /> Read-only</label>
          <label className="check"><input type="checkbox" checked={limit} onChange={(e) => setLimit(e.currentTarget.checked)} /> Limit to projects</label>
        </div>
        {limit && (
          projects.length === 0
            ? <p className="muted">You can see no projects yet.</p>
            : (
              <fieldset className="checklist">
                <legend className="field-label">Projects</legend>
                {projects.map((p) => <label key={p.id} className="check"><input type="checkbox" name="projectIds" value={p.id} /> {p.label}</label>)}
              </fieldset>
            )
        )}
        <ErrorText error={create.error} />
        <div><button type="submit" className="btn btn-primary" disabled={create.isPending}>Create key</button></div>
      </form>

      <div className="panel table-wrap">
        {keys.isLoading && <p className="muted">Loading keys…</p>}
        <ErrorText error={keys.error ?? revoke.error} />
        {keys.data && keys.data.length === 0 && <p className="muted">No API keys yet.</p>}
        {keys.data && keys.data.length > 0 && (
          <table className="table" aria-label="API keys">
            <thead>
              <tr><th>Name</th><th>Prefix</th><th>Created</th><th>Last used</th><th>Expires</th><th>Projects</th><th>Access</th><th /></tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <KeyCells k={k} />
                  <td>{k.projectIds === null ? <span className="muted">all of yours</span> : k.projectIds.map((id) => names.get(id) ?? k.projects?.find((p) => p.id === id)?.name ?? "(hidden project)").join(", ")}</td>
                  <td>{k.readOnly ? "read-only" : "read and write"}</td>
                  <td className="num">
                    <RevocableStatus revokedAt={k.revokedAt} expiresAt={k.expiresAt} question={`Revoke “${k.name}”? Scripts using it stop working.`}
                      pending={revoke.isPending} onRevoke={() => revoke.mutate({ keyId: k.id })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
