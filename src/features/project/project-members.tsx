"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorText } from "@/components/form";
import type { ProjectRole } from "@/contracts/projects";
import { useTRPC } from "@/trpc/client";
import { PROJECT_ROLES } from "./project-access";

/** The project's members; owners add workspace members, change roles and remove grants. */
export function ProjectMembers({ projectId, workspaceId, canEdit, myUserId }: { projectId: string; workspaceId: string; canEdit: boolean; myUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.projects.members.queryOptions({ projectId }));
  const candidates = useQuery({ ...trpc.workspaces.members.queryOptions({ workspaceId }), enabled: canEdit });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.projects.members.queryKey({ projectId }) });
  const add = useMutation(trpc.projects.addMember.mutationOptions({ onSettled: invalidate }));
  const setRole = useMutation(trpc.projects.setMemberRole.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.projects.removeMember.mutationOptions({ onSettled: invalidate }));

  const granted = new Set(members.data?.members.map((m) => m.userId) ?? []);
  const addable = (candidates.data ?? []).filter((m) => m.kind === "person" && !m.disabled && !granted.has(m.userId));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const userId = String(form.get("userId") ?? "");
    if (!userId) return;
    add.mutate({ projectId, userId, role: String(form.get("role")) as ProjectRole }, { onSuccess: () => formEl.reset() });
  }

  return (
    <section className="settings-section" aria-labelledby="pmembers-h">
      <h2 id="pmembers-h">Members</h2>
      {canEdit && (
        <form className="panel row" onSubmit={submit} aria-label="Add project member">
          <label className="field">
            <span className="field-label">Workspace member</span>
            <select className="input" name="userId" required defaultValue="">
              <option value="" disabled>{addable.length ? "Choose a person…" : "Everyone is a member already"}</option>
              {addable.map((m) => <option key={m.userId} value={m.userId}>{m.name ? `${m.name} <${m.email}>` : m.email}</option>)}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Role</span>
            <select className="input" name="role" defaultValue="contributor">
              {PROJECT_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="btn btn-primary" disabled={add.isPending || addable.length === 0}>Add member</button>
        </form>
      )}
      <div className="panel table-wrap">
        {members.isLoading && <p className="muted">Loading…</p>}
        <ErrorText error={members.error ?? add.error ?? setRole.error ?? remove.error} />
        {members.data && (
          <table className="table" aria-label="Project members">
            <thead><tr><th>Name</th><th>Email</th><th>Role</th>{canEdit && <th />}</tr></thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.userId}>
                  <td>{m.name || <span className="muted">—</span>}{m.userId === myUserId && <span className="muted"> (you)</span>}{m.kind === "service" && <span className="pill">service account</span>}</td>
                  <td>{m.email}</td>
                  <td>
                    {canEdit && m.kind === "person"
                      ? (
                        <select className="input" aria-label={`Project role of ${m.email}`} value={m.role} disabled={setRole.isPending}
                          onChange={(e) => setRole.mutate({ projectId, userId: m.userId, role: e.currentTarget.value as ProjectRole })}>
                          {PROJECT_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                        </select>
                      )
                      : m.role}
                  </td>
                  {canEdit && (
                    <td className="num">
                      {m.kind === "person" && (
                        <ConfirmButton label="Remove" question={`Remove ${m.email} from this project?`} disabled={remove.isPending}
                          onConfirm={() => remove.mutate({ projectId, userId: m.userId })} />
                      )}
                    </td>
                  )}
                </tr>
              ))}
              {members.data.workspaceAdmins.filter((a) => !granted.has(a.userId)).map((a) => (
                <tr key={`ws-${a.userId}`}>
                  <td>{a.name || <span className="muted">—</span>}{a.userId === myUserId && <span className="muted"> (you)</span>}</td>
                  <td>{a.email}</td>
                  <td><span className="muted">{`owner (workspace ${a.workspaceRole})`}</span></td>
                  {canEdit && <td />}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
