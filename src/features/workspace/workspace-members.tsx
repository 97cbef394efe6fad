"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorText } from "@/components/form";
import type { WorkspaceRole } from "@/contracts/workspaces";
import { useTRPC } from "@/trpc/client";

const ROLES: WorkspaceRole[] = ["member", "admin", "owner"];

/** Everyone in the workspace; admins and owners change roles and remove people (the server decides the limits). */
export function WorkspaceMembers({ workspaceId, myRole, myUserId }: { workspaceId: string; myRole: WorkspaceRole; myUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.workspaces.members.queryOptions({ workspaceId }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.workspaces.members.queryKey({ workspaceId }) });
  const setRole = useMutation(trpc.workspaces.setRole.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.workspaces.removeMember.mutationOptions({ onSettled: invalidate }));
  const manage = myRole !== "member";
  // Only owners hand out or take away ownership.
  const grantable = myRole === "owner" ? ROLES : ROLES.filter((r) => r !== "owner");

  return (
    <section className="settings-section" aria-labelledby="members-h">
      <h2 id="members-h">Members</h2>
      <div className="panel table-wrap">
        {members.isLoading && <p className="muted">Loading members…</p>}
        <ErrorText error={members.error ?? setRole.error ?? remove.error} />
        {members.data && (
          <table className="table" aria-label="Workspace members">
            <thead><tr><th>Name</th><th>Email</th><th>Role</th>{manage && <th />}</tr></thead>
            <tbody>
              {members.data.map((m) => {
                const editable = manage && (myRole === "owner" || m.role !== "owner");
                return (
                  <tr key={m.userId}>
                    <td>{m.name || <span className="muted">—</span>}{m.userId === myUserId && <span className="muted"> (you)</span>}{m.kind === "service" && <span className="pill"> service</span>}</td>
                    <td>{m.email}</td>
                    <td>
                      {editable
                        ? (
                          <select className="input" aria-label={`Role of ${m.email}`} value={m.role} disabled={setRole.isPending}
                            onChange={(e) => setRole.mutate({ workspaceId, userId: m.userId, role: e.currentTarget.value as WorkspaceRole })}>
                            {grantable.concat(grantable.includes(m.role) ? [] : [m.role]).map((r) => <option key={r} value={r}>{r}</option>)}
                          </select>
                        )
                        : m.role}
                    </td>
                    {manage && (
                      <td className="num">
                        {editable && (
                          <ConfirmButton label={m.userId === myUserId ? "Leave" : "Remove"}
                            question={m.userId === myUserId ? "Leave this workspace?" : `Remove ${m.email} from the workspace and its projects?`}
                            disabled={remove.isPending} onConfirm={() => remove.mutate({ workspaceId, userId: m.userId })} />
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
