import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StateBadge } from "@/components/state-badge";
import { CompareView } from "@/features/compare/compare-view";
import { RunDetails } from "@/features/runs/run-details";
import { openShareLink } from "@/features/runs/shared-run-loader";
import { getServices } from "@/server/registry";
import { loadCompareRuns } from "@/server/services/compare/load-compare-runs";
import { getRun } from "@/server/services/runs/get-run";
import { queryRuns } from "@/server/services/runs/query/query-runs";
import { TRPCReactProvider } from "@/trpc/client";

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

  if (link.targetKind === "compare") {
    const data = await loadCompareRuns(ctx, { workspace: link.project.workspaceSlug, project: link.project.slug, runs: link.runs.map((r) => r.id) });
    return (
      <>
        <p className="muted">{title}</p>
        {banner}
        {/* Client reads (series, runs) act as the link: its token travels in every tRPC call. */}
        <TRPCReactProvider shareToken={token}>
          <CompareView initial={data} shareToken={token} />
        </TRPCReactProvider>
      </>
    );
  }

  const run = await getRun(ctx, { runId: link.runs[0].id });
  return (
    <>
      {banner}
      <RunDetails initial={run} now={Date.now()} shareToken={token} />
    </>
  );
}
