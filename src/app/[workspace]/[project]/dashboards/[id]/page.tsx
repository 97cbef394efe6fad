import type { Metadata } from "next";
import { Crumbs } from "@/components/crumbs";
import { notFound } from "next/navigation";
import { DashboardView } from "@/features/dashboards/dashboard-view";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { getServices } from "@/server/registry";
import { getDashboard } from "@/server/services/dashboards/get-dashboard";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard" };

type Params = { workspace: string; project: string; id: string };

/** One dashboard, at a URL anyone in the project can open. */
export default async function DashboardPage({ params }: { params: Promise<Params> }) {
  const { workspace, project, id } = await params;
  const actor = await requireUser(`/${workspace}/${project}/dashboards/${id}`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) notFound();
  const ctx = { ...getServices(), actor };
  const settings = await loadOr404(() => getProjectSettings(ctx, { workspace, project }));
  const dashboard = await loadOr404(() => getDashboard(ctx, { dashboardId: id }));
  // A dashboard id under another project's URL is not this project's dashboard.
  if (dashboard.projectId !== settings.id) notFound();
  const base = `/${settings.workspace.slug}/${settings.slug}`;
  return (
    <>
      <Crumbs items={[
        { label: settings.workspace.name, href: `/${settings.workspace.slug}` },
        { label: settings.name, href: base },
        { label: "Dashboards", href: `${base}/dashboards` },
        { label: dashboard.name },
      ]} />
      <DashboardView initial={dashboard} base={base} />
    </>
  );
}
