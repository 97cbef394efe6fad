import type { Metadata } from "next";
import Link from "next/link";
import { plural } from "@/components/format";
import { NewProjectForm } from "@/features/workspace/new-project-form";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { getServices } from "@/server/registry";
import { listWorkspaceProjects } from "@/server/services/projects/list-workspace-projects";
import { getWorkspace } from "@/server/services/workspaces/get-workspace";

export const dynamic = "force-dynamic";

type Params = { workspace: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: (await params).workspace };
}

export default async function WorkspacePage({ params }: { params: Promise<Params> }) {
  const { workspace: slug } = await params;
  const user = await requireUser(`/${slug}`);
  const ctx = { ...getServices(), actor: user };
  const workspace = await loadOr404(() => getWorkspace(ctx, { slug }));
  const projects = await listWorkspaceProjects(ctx, { workspaceId: workspace.id });
  return (
    <>
      <header className="page-title">
        <h1 className="page-title" style={{ margin: 0 }}>{workspace.name}</h1>
        <span className="muted mono">{workspace.slug}</span>
        <span className="pill">{workspace.myRole}</span>
        <span className="spacer" />
        <Link href={`/${workspace.slug}/settings`} className="btn btn-small">{workspace.myRole === "member" ? "Members" : "Settings"}</Link>
      </header>

      <section className="settings-section" aria-labelledby="projects-h">
        <h2 id="projects-h">Projects</h2>
        {projects.length === 0
          ? <p className="muted">You can see no projects in this workspace yet.</p>
          : (
            <div className="project-grid">
              {projects.map((p) => (
                <Link key={p.id} href={`/${workspace.slug}/${p.slug}`} className="project-tile">
                  <h3>{p.name}</h3>
                  <div className="muted">
                    <span className="mono">{p.key}</span>{" · "}{plural(p.runCount, "run")}{" · "}{p.visibility === "workspace" ? "workspace" : "private"}{" · "}{`you: ${p.myRole}`}
                  </div>
                </Link>
              ))}
            </div>
          )}
      </section>

      <NewProjectForm workspaceId={workspace.id} workspaceSlug={workspace.slug} />
    </>
  );
}
