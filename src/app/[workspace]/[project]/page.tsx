import type { Metadata } from "next";
import Link from "next/link";
import { RunTable } from "@/features/runs-table/run-table";
import { hasViewParams, viewFromParams } from "@/features/runs-table/view-url";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { AppError } from "@/server/errors";
import { getServices } from "@/server/registry";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";
import { getSavedView } from "@/server/services/saved-views/get-saved-view";

export const dynamic = "force-dynamic";

type Params = { workspace: string; project: string };
type Search = Record<string, string | string[] | undefined>;

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { workspace, project } = await params;
  return { title: `${workspace}/${project}` };
}

/** The project's run table; the URL's search params are the table view (see features/runs-table/view-url.ts). */
export default async function ProjectPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { workspace, project: slug } = await params;
  const search = await searchParams;
  const user = await requireUser(`/${workspace}/${slug}`);
  const ctx = { ...getServices(), actor: user };
  const project = await loadOr404(() => getProjectSettings(ctx, { workspace, project: slug }));

  const get = (name: string) => {
    const v = search[name];
    return typeof v === "string" ? v : Array.isArray(v) ? (v[0] ?? null) : null;
  };
  // A saved view named in the URL opens as saved; view params beside it are edits on top of it.
  let viewId = get("view");
  let base;
  if (viewId) {
    try {
      const saved = await getSavedView(ctx, { viewId });
      base = saved.projectId === project.id ? saved.state : undefined;
      if (!base) viewId = null;
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== "not_found" && error.code !== "invalid")) throw error;
      viewId = null;
    }
  }
  const initialState = hasViewParams({ get }) || !base ? viewFromParams({ get }, base) : base;

  return (
    <>
      <nav className="crumbs">
        <Link href={`/${project.workspace.slug}`}>{project.workspace.name}</Link>
        <span className="sep">/</span>
        <span>{project.name}</span>
      </nav>
      <header className="page-title">
        <h1 className="page-title" style={{ margin: 0 }}>{project.name}</h1>
        <span className="key-chip mono" title="project key">{project.key}</span>
        {project.myRole && <span className="pill">{project.myRole}</span>}
        <span className="spacer" />
        <Link href={`/${project.workspace.slug}/${project.slug}/dashboards`} className="btn btn-small">Dashboards</Link>
        <Link href={`/${project.workspace.slug}/${project.slug}/settings`} className="btn btn-small">Settings</Link>
      </header>
      <RunTable
        workspace={project.workspace.slug}
        project={project.slug}
        projectId={project.id}
        initialState={initialState}
        initialViewId={viewId}
        canWrite={project.permissions.includes("run.write")}
      />
    </>
  );
}
