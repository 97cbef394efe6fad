import type { Metadata } from "next";
import { Crumbs } from "@/components/crumbs";
import { DashboardList } from "@/features/dashboards/dashboard-list";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { allows } from "@/server/authz/authorize";
import { getServices } from "@/server/registry";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboards" };

type Params = { workspace: string; project: string };

/** The dashboards of a project, shared by everyone who reads it. */
export default async function DashboardsPage({ params }: { params: Promise<Params> }) {
  const { workspace, project } = await params;
  const actor = await requireUser(`/${workspace}/${project}/dashboards`);
  const ctx = { ...getServices(), actor };
  const settings = await loadOr404(() => getProjectSettings(ctx, { workspace, project }));
  const canEdit = await allows(ctx.database, actor, "run.write", settings.id);
  const base = `/${settings.workspace.slug}/${settings.slug}`;
  return (
    <>
      <Crumbs items={[
        { label: settings.workspace.name, href: `/${settings.workspace.slug}` },
        { label: settings.name, href: base },
        { label: "Dashboards" },
      ]} />
      <h1 className="page-title">Dashboards</h1>
      <DashboardList projectId={settings.id} base={base} canEdit={canEdit} now={Date.now()} />
    </>
  );
}
