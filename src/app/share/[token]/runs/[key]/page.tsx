import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunDetails } from "@/features/runs/run-details";
import { openShareLink } from "@/features/runs/shared-run-loader";
import { AppError } from "@/server/errors";
import { getServices } from "@/server/registry";
import { findRunByKey } from "@/server/services/runs/find-run-by-key";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared run", robots: { index: false } };

/** One run reached from a shared table view; run and comparison links reach only their own runs. */
export default async function SharedRunPage({ params }: { params: Promise<{ token: string; key: string }> }) {
  const { token, key } = await params;
  const opened = await openShareLink(token);
  if (!opened) notFound();
  const { actor, link } = opened;
  let found;
  try {
    found = await findRunByKey({ ...getServices(), actor }, { workspace: link.project.workspaceSlug, project: link.project.slug, key: decodeURIComponent(key) });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  return (
    <>
      <nav className="crumbs"><Link href={`/share/${token}`}>{link.label || link.project.name}</Link><span className="sep">/</span><span>{found.run.key}</span></nav>
      <p className="share-banner">Shared read-only view. It updates live; the owner can revoke the link at any time.</p>
      <RunDetails initial={found.run} now={Date.now()} shareToken={token} />
    </>
  );
}
