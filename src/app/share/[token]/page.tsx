import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StateBadge } from "@/components/state-badge";
import { RunDetails } from "@/features/runs/run-details";
import { openShareLink } from "@/features/runs/shared-run-loader";
import { getServices } from "@/server/registry";
import { getRun } from "@/server/services/runs/get-run";
import { queryRuns } from "@/server/services/runs/query/query-runs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared", robots: { index: false } };

type View = { query?: string; sort?: { column: string; direction?: "asc" | "desc" } };

/**
 * A read-only page opened through a share link, without an account: one run, a comparison of
 * runs, or a project table view. It shows only what the link points at, and stays live.
 */
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const opened = await openShareLink(token);
  if (!opened) notFound();
  const { actor, link } = opened;
  const ctx = { ...getServices(), actor };
  const title = link.label || `${link.project.name}: ${link.targetKind === "view" ? "runs" : link.runs.map((r) => r.key).join(", ")}`;
  const banner = (
    <p className="share-banner">
      Shared read-only view of <strong>{link.project.name}</strong>. It updates live; the owner can revoke the link at any time.
    </p>
  );

  if (link.targetKind === "view") {
    const view = (link.view ?? {}) as View;
    const page = await queryRuns(ctx, {
      workspace: link.project.workspaceSlug, project: link.project.slug,
      body: { ...(view.query ? { query: view.query } : {}), ...(view.sort ? { sort: view.sort } : {}), limit: 100 },
    });
    return (
      <>
        <h1 className="page-title">{title}</h1>
        {banner}
        <table className="table runs">
          <thead><tr><th>Run</th><th>Name</th><th>State</th><th>Created</th></tr></thead>
          <tbody>
            {page.runs.map((r) => (
              <tr key={r.id}>
                <td className="mono"><Link href={`/share/${token}/runs/${encodeURIComponent(r.key)}`}>{r.key}</Link></td>
                <td>{r.name}</td>
                <td><StateBadge state={r.state} /></td>
                <td className="mono">{r.createdAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }

  const runs = await Promise.all(link.runs.map((r) => getRun(ctx, { runId: r.id })));
  const now = Date.now();
  return (
    <>
      {link.targetKind === "compare" && <h1 className="page-title">{title}</h1>}
      {banner}
      <div className={runs.length > 1 ? "compare-grid" : undefined}>
        {runs.map((run) => <RunDetails key={run.id} initial={run} now={now} shareToken={token} />)}
      </div>
    </>
  );
}
