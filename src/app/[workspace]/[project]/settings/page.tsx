import type { Metadata } from "next";
import Link from "next/link";
import { AuditLog } from "@/features/audit/audit-log";
import { ProjectAccess } from "@/features/project/project-access";
import { ProjectMembers } from "@/features/project/project-members";
import { ServiceAccounts } from "@/features/project/service-accounts";
import { ShareLinks } from "@/features/project/share-links";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { getServices } from "@/server/registry";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";

export const dynamic = "force-dynamic";

type Params = { workspace: string; project: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { workspace, project } = await params;
  return { title: `${workspace}/${project} settings` };
}

export default async function ProjectSettingsPage({ params }: { params: Promise<Params> }) {
  const { workspace, project: slug } = await params;
  const user = await requireUser(`/${workspace}/${slug}/settings`);
  const project = await loadOr404(() => getProjectSettings({ ...getServices(), actor: user }, { workspace, project: slug }));
  const can = (p: (typeof project.permissions)[number]) => project.permissions.includes(p);
  const path = `/${project.workspace.slug}/${project.slug}`;
  return (
    <>
      <nav className="crumbs">
        <Link href={`/${project.workspace.slug}`}>{project.workspace.name}</Link>
        <span className="sep">/</span>
        <Link href={path}>{project.name}</Link>
        <span className="sep">/</span>
        <span>Settings</span>
      </nav>
      <header className="page-title">
        <h1 className="page-title" style={{ margin: 0 }}>{`${project.name} settings`}</h1>
        {project.myRole && <span className="pill" data-testid="my-role">{`you: ${project.myRole}`}</span>}
      </header>
      <ProjectAccess projectId={project.id} visibility={project.visibility} defaultRole={project.defaultRole} canEdit={can("project.admin")} />
      {can("members.read") && <ProjectMembers projectId={project.id} workspaceId={project.workspace.id} canEdit={can("project.admin")} myUserId={user.userId} />}
      {can("project.manage") && <ServiceAccounts projectId={project.id} />}
      {can("run.write") && <ShareLinks projectId={project.id} projectPath={path} />}
      {can("project.admin") && <AuditLog scope={{ projectId: project.id }} />}
    </>
  );
}
