import type { Metadata } from "next";
import { ApiKeysSection } from "@/features/settings/api-keys-section";
import { InstanceSection, PasswordSection, ProfileSection } from "@/features/settings/profile-section";
import { requireUser } from "@/server/auth/page-actor";
import { getServices } from "@/server/registry";
import { openSignUp } from "@/server/services/accounts/instance-settings";
import { getMe } from "@/server/services/accounts/me";
import { listProjects } from "@/server/services/projects/list-projects";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const ctx = { ...getServices(), actor: user };
  const [me, workspaces] = await Promise.all([getMe(ctx), listProjects(ctx, { runsPerProject: 0 })]);
  const projects = workspaces.flatMap((w) => w.projects.map((p) => ({ id: p.id, label: `${w.name} / ${p.name}` })));
  return (
    <>
      <h1 className="page-title">Settings</h1>
      <ProfileSection name={me.name} email={me.email} />
      <PasswordSection hasPassword={me.hasPassword} />
      <ApiKeysSection projects={projects} />
      {me.isInstanceAdmin && <InstanceSection openSignUp={await openSignUp(ctx.database)} />}
    </>
  );
}
