"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorText, Notice } from "@/components/form";
import type { ProjectRole, Visibility } from "@/contracts/projects";
import { useTRPC } from "@/trpc/client";

export const PROJECT_ROLES: ProjectRole[] = ["viewer", "contributor", "maintainer", "owner"];

/** Visibility and the workspace members' default role; editable by project owners only. */
export function ProjectAccess({ projectId, visibility, defaultRole, canEdit }: {
  projectId: string; visibility: Visibility; defaultRole: ProjectRole; canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [vis, setVis] = useState(visibility);
  const [role, setRole] = useState(defaultRole);
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.projects.setAccess.mutationOptions({
    onSuccess: (r) => { setVis(r.visibility); setRole(r.defaultRole); setSaved(true); router.refresh(); },
  }));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    save.mutate({ projectId, visibility: vis, defaultRole: role });
  }

  if (!canEdit) {
    return (
      <section className="settings-section" aria-labelledby="access-h">
        <h2 id="access-h">Access</h2>
        <div className="panel">
          {visibility === "workspace"
            ? <p>{`Everyone in the workspace can open this project, as ${defaultRole} at least.`}</p>
            : <p>Only the project&apos;s members (and workspace admins) can open this project.</p>}
        </div>
      </section>
    );
  }
  return (
    <section className="settings-section" aria-labelledby="access-h">
      <h2 id="access-h">Access</h2>
      <form className="panel stack" onSubmit={submit} aria-label="Project access">
        <fieldset className="checklist">
          <legend className="field-label">Visibility</legend>
          <label className="check"><input type="radio" name="visibility" checked={vis === "private"} onChange={() => setVis("private")} /> Private: members only</label>
          <label className="check"><input type="radio" name="visibility" checked={vis === "workspace"} onChange={() => setVis("workspace")} /> Workspace: every workspace member</label>
        </fieldset>
        <div className="row">
          <label className="field">
            <span className="field-label">Default role of workspace members</span>
            <select className="input" value={role} disabled={vis !== "workspace"} onChange={(e) => setRole(e.currentTarget.value as ProjectRole)}>
              {PROJECT_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="btn" disabled={save.isPending}>Save access</button>
        </div>
        <ErrorText error={save.error} />
        {saved && <Notice tone="ok">Access saved.</Notice>}
      </form>
    </section>
  );
}
