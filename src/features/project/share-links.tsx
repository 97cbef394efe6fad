"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RevocableStatus } from "@/components/revocable-status";
import { ErrorText } from "@/components/form";
import { When } from "@/components/when";
import type { ShareLinkInfo } from "@/server/services/share-links/list-share-links";
import { useTRPC } from "@/trpc/client";

/** The project's share links (made from run pages and tables); revoke ones you made, or any as a maintainer. */
export function ShareLinks({ projectId, projectPath }: { projectId: string; projectPath: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const links = useQuery(trpc.shareLinks.list.queryOptions({ projectId }));
  const revoke = useMutation(trpc.shareLinks.revoke.mutationOptions({
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.shareLinks.list.queryKey({ projectId }) }),
  }));
  return (
    <section className="settings-section" aria-labelledby="links-h">
      <h2 id="links-h">Share links</h2>
      <div className="panel table-wrap">
        {links.isLoading && <p className="muted">Loading…</p>}
        <ErrorText error={links.error ?? revoke.error} />
        {links.data && links.data.length === 0 && <p className="muted">No share links. Share a run or a table view from its page.</p>}
        {links.data && links.data.length > 0 && (
          <table className="table" aria-label="Share links">
            <thead><tr><th>Target</th><th>Link</th><th>Created by</th><th>Created</th><th>Expires</th><th>Last used</th><th /></tr></thead>
            <tbody>
              {links.data.map((l) => (
                <tr key={l.id}>
                  <td><Target link={l} projectPath={projectPath} /></td>
                  <td className="mono">{`${l.prefix}…`}</td>
                  <td>{l.createdBy ? (l.createdBy.name || l.createdBy.email) : <span className="muted">—</span>}</td>
                  <td><When iso={l.createdAt} /></td>
                  <td><When iso={l.expiresAt} empty="never" /></td>
                  <td><When iso={l.lastUsedAt} empty="never" /></td>
                  <td className="num">
                    <RevocableStatus revokedAt={l.revokedAt} expiresAt={l.active ? null : l.expiresAt} canRevoke={l.canRevoke}
                      question="Revoke this link? It stops opening at once." pending={revoke.isPending} onRevoke={() => revoke.mutate({ linkId: l.id })} />
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

function Target({ link, projectPath }: { link: ShareLinkInfo; projectPath: string }) {
  const label = link.label ? <div>{link.label}</div> : null;
  if (link.targetKind === "view") return <>{label}<span className="muted">table view</span></>;
  return (
    <>
      {label}
      <span className="muted">{link.targetKind === "run" ? "run " : "comparison of "}</span>
      {link.runs.map((r, i) => (
        <span key={r.id}>{i > 0 && ", "}<Link href={`${projectPath}/runs/${r.key}`} className="mono">{r.key}</Link></span>
      ))}
    </>
  );
}
