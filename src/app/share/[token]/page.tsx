import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CompareView } from "@/features/compare/compare-view";
import { RunTable } from "@/features/runs-table/run-table";
import { hasViewParams, viewFromLink, viewFromParams } from "@/features/runs-table/view-url";
import { RunDetails } from "@/features/runs/run-details";
import { openShareLink } from "@/features/runs/shared-run-loader";
import { getServices } from "@/server/registry";
import { loadCompareRuns } from "@/server/services/compare/load-compare-runs";
import { getRun } from "@/server/services/runs/get-run";
import { TRPCReactProvider } from "@/trpc/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared", robots: { index: false } };


/**
 * A read-only page opened through a share link, without an account: one run, a comparison of
 * runs, or a project table view. It shows only what the link points at, and stays live.
 */
export default async function SharePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
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
    // The link's saved state, with whatever the visitor changed since on top (the table keeps it in the URL).
    const saved = viewFromLink(link.view);
    const search = await searchParams;
    const get = (name: string) => (typeof search[name] === "string" ? (search[name] as string) : null);
    return (
      <>
        <h1 className="page-title">{title}</h1>
        {banner}
        <RunTable
          workspace={link.project.workspaceSlug}
          project={link.project.slug}
          projectId={actor.projectId}
          initialState={hasViewParams({ get }) ? viewFromParams({ get }, saved) : saved}
          shareToken={token}
          readOnly
        />
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
