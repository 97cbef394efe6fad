import type { Metadata } from "next";
import Link from "next/link";
import { AuditLog } from "@/features/audit/audit-log";
import { WorkspaceInvites } from "@/features/workspace/workspace-invites";
import { WorkspaceMembers } from "@/features/workspace/workspace-members";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { getServices } from "@/server/registry";
import { getWorkspace } from "@/server/services/workspaces/get-workspace";

export const dynamic = "force-dynamic";

type Params = { workspace: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${(await params).workspace} settings` };
}

export default async function WorkspaceSettingsPage({ params }: { params: Promise<Params> }) {
  const { workspace: slug } = await params;
  const user = await requireUser(`/${slug}/settings`);
  const workspace = await loadOr404(() => getWorkspace({ ...getServices(), actor: user }, { slug }));
  const admin = workspace.myRole === "admin" || workspace.myRole === "owner";
  return (
    <>
      <nav className="crumbs">
        <Link href={`/${workspace.slug}`}>{workspace.name}</Link>
        <span className="sep">/</span>
        <span>Settings</span>
      </nav>
      <h1 className="page-title">{`${workspace.name} settings`}</h1>
      <WorkspaceMembers workspaceId={workspace.id} myRole={workspace.myRole} myUserId={user.userId} />
      {admin && <WorkspaceInvites workspaceId={workspace.id} />}
      {admin && <AuditLog scope={{ workspaceId: workspace.id }} />}
      {!admin && <p className="muted">Workspace admins invite people and change roles.</p>}
    </>
  );
}
