import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { getServices } from "@/server/registry";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";

export const dynamic = "force-dynamic";

type Params = { workspace: string; project: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { workspace, project } = await params;
  return { title: `${workspace}/${project}` };
}

export default async function ProjectPage({ params }: { params: Promise<Params> }) {
  const { workspace, project: slug } = await params;
  const user = await requireUser(`/${workspace}/${slug}`);
  const project = await loadOr404(() => getProjectSettings({ ...getServices(), actor: user }, { workspace, project: slug }));
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
        <Link href={`/${project.workspace.slug}/${project.slug}/settings`} className="btn btn-small">Settings</Link>
      </header>
      <section className="settings-section">
        <h2>Runs</h2>
        <p className="muted">{`Runs of ${project.name} appear here. Run keys look like ${project.key}-1; open one at /${project.workspace.slug}/${project.slug}/runs/${project.key}-1.`}</p>
      </section>
    </>
  );
}
