import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { RunDetails } from "@/features/runs/run-details";
import { ShareButton } from "@/features/share/share-button";
import { allows } from "@/server/authz/authorize";
import { requireUser } from "@/server/auth/page-actor";
import { AppError } from "@/server/errors";
import { getServices } from "@/server/registry";
import { findRunByKey } from "@/server/services/runs/find-run-by-key";

export const dynamic = "force-dynamic";

type Params = { workspace: string; project: string; key: string };

// Metadata and page both need the run: one read per request, as the signed-in user.
const loadRun = cache(async (workspace: string, project: string, key: string) => {
  const actor = await requireUser(`/${workspace}/${project}/runs/${key}`);
  try {
    const ctx = { ...getServices(), actor };
    const found = await findRunByKey(ctx, { workspace, project, key });
    // Sharing and editing the header are contributors' rights (run.write); viewers see neither.
    return { ...found, canWrite: await allows(ctx.database, actor, "run.write", found.project.id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { workspace, project, key } = await params;
  const found = await loadRun(workspace, project, key);
  if (!found) return { title: "Not found" };
  return { title: found.run.name ? `${found.run.key} ${found.run.name}` : found.run.key };
}

export default async function RunPage({ params }: { params: Promise<Params> }) {
  const { workspace, project, key } = await params;
  const found = await loadRun(workspace, project, key);
  if (!found) notFound();
  return (
    <>
      <nav className="crumbs">
        <Link href={`/${found.project.workspaceSlug}`}>{found.project.workspaceSlug}</Link>
        <span className="sep">/</span>
        <Link href={`/${found.project.workspaceSlug}/${found.project.slug}`}>{found.project.name}</Link>
        <span className="sep">/</span>
        <span>{found.run.key}</span>
      </nav>
      <RunDetails
        initial={found.run}
        now={Date.now()}
        canEdit={found.canWrite}
        actions={found.canWrite && <ShareButton projectId={found.project.id} target={{ kind: "run", runId: found.run.id }} what={`run ${found.run.key}`} />}
      />
    </>
  );
}
