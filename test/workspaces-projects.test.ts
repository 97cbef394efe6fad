import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { authorize } from "@/server/authz/authorize";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { accessKit, expectCode, parsedJson } from "./helpers/access-kit";

describe.each(databaseKinds())("workspaces and projects on $name", (kind) => {
  let s: ApiServer;
  let k: ReturnType<typeof accessKit>;
  // olga owns the workspace, adam is an admin, mia and vic are members, out belongs elsewhere.
  let olga: string, adam: string, mia: string, vic: string, out: string;
  let ws: string;

  beforeAll(async () => {
    s = await startApiServer(kind);
    k = accessKit(s.server.services);
    [olga, adam, mia, vic, out] = await Promise.all(["olga", "adam", "mia", "vic", "out"].map((n) => k.person(`${n}@lab.example`)));
    const lab = await k.as(olga).workspaces.create({ name: "The Lab" });
    ws = lab.id;
    expect(lab.slug).toBe("the-lab");
    await k.join(olga, ws, adam, "admin");
    await k.join(olga, ws, mia);
    await k.join(olga, ws, vic);
    await k.as(out).workspaces.create({ name: "Elsewhere" });
  });
  afterAll(async () => { await s?.close(); });

  const may = (userId: string, permission: Parameters<typeof authorize>[2], projectId: string) =>
    authorize(s.db.database, { kind: "user", userId }, permission, projectId).then(() => "yes", (e: { code: string }) => e.code);

  test("workspace list, get and members show roles; the creator of a workspace owns it", async () => {
    expect((await k.as(olga).workspaces.list()).map((w) => [w.slug, w.role, w.memberCount])).toEqual([["the-lab", "owner", 5 - 1]]);
    expect(await k.as(vic).workspaces.get({ slug: "the-lab" })).toMatchObject({ id: ws, myRole: "member" });
    const members = await k.as(vic).workspaces.members({ workspaceId: ws });
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ["olga@lab.example", "owner"], ["adam@lab.example", "admin"], ["mia@lab.example", "member"], ["vic@lab.example", "member"],
    ]);
    await expectCode(k.as(vic).workspaces.rename({ workspaceId: ws, name: "Mine" }), "FORBIDDEN");
    expect(await k.as(adam).workspaces.rename({ workspaceId: ws, name: "Lab" })).toEqual({ name: "Lab" });
    const [row] = await k.auditRows(sql`action = 'workspace.rename' AND workspace_id = ${ws}`);
    expect([parsedJson(row.before), parsedJson(row.after)]).toEqual([{ name: "The Lab" }, { name: "Lab" }]);
  });

  test("roles and visibility decide access: private, workspace with a default role, grants, workspace admins", async () => {
    const alpha = await k.as(mia).projects.create({ workspaceId: ws, slug: "alpha", name: "Alpha" });
    expect(alpha).toMatchObject({ key: "ALPHA", visibility: "private", defaultRole: "viewer" });
    // Private: the creator owns it, workspace admins own it, other members do not see it.
    expect(await k.as(mia).projects.settings({ projectId: alpha.id })).toMatchObject({ myRole: "owner", myWorkspaceRole: "member" });
    expect(await k.as(adam).projects.settings({ workspace: "the-lab", project: "alpha" })).toMatchObject({
      myRole: "owner", permissions: expect.arrayContaining(["project.admin"]),
    });
    await expectCode(k.as(vic).projects.settings({ projectId: alpha.id }), "NOT_FOUND");
    await expectCode(k.as(vic).projects.members({ projectId: alpha.id }), "NOT_FOUND");
    expect(await may(vic, "project.read", alpha.id)).toBe("not_found");
    expect((await k.as(vic).projects.list({ workspaceId: ws })).map((p) => p.slug)).toEqual([]);
    expect((await k.as(adam).projects.list({ workspaceId: ws })).map((p) => [p.slug, p.myRole])).toEqual([["alpha", "owner"]]);

    // Workspace-visible: every member gets the default role.
    await k.as(mia).projects.setAccess({ projectId: alpha.id, visibility: "workspace" });
    expect(await k.as(vic).projects.settings({ projectId: alpha.id })).toMatchObject({
      myRole: "viewer", permissions: ["project.read", "members.read"], visibility: "workspace",
    });
    expect(await may(vic, "run.write", alpha.id)).toBe("forbidden");
    expect((await k.as(vic).projects.members({ projectId: alpha.id })).members.map((m) => [m.email, m.role])).toEqual([["mia@lab.example", "owner"]]);
    await expectCode(k.as(vic).projects.setAccess({ projectId: alpha.id, visibility: "private" }), "FORBIDDEN");
    await expectCode(k.as(vic).projects.addMember({ projectId: alpha.id, userId: vic, role: "owner" }), "FORBIDDEN");

    await k.as(mia).projects.setAccess({ projectId: alpha.id, defaultRole: "contributor" });
    expect(await may(vic, "run.write", alpha.id)).toBe("yes");
    expect(await may(vic, "run.delete", alpha.id)).toBe("forbidden");

    // A grant stronger than the default wins; it survives making the project private again.
    await k.as(mia).projects.addMember({ projectId: alpha.id, userId: vic, role: "maintainer" });
    await expectCode(k.as(mia).projects.addMember({ projectId: alpha.id, userId: vic, role: "viewer" }), "CONFLICT");
    await k.as(mia).projects.setAccess({ projectId: alpha.id, visibility: "private" });
    expect((await k.as(vic).projects.list({ workspaceId: ws })).map((p) => [p.slug, p.myRole])).toEqual([["alpha", "maintainer"]]);
    expect(await may(vic, "project.manage", alpha.id)).toBe("yes");
    expect(await may(vic, "project.admin", alpha.id)).toBe("forbidden");
    await k.as(mia).projects.setMemberRole({ projectId: alpha.id, userId: vic, role: "viewer" });
    expect(await may(vic, "run.write", alpha.id)).toBe("forbidden");
    await k.as(mia).projects.removeMember({ projectId: alpha.id, userId: vic });
    expect(await may(vic, "project.read", alpha.id)).toBe("not_found");

    // Only workspace members can be granted a role.
    await expectCode(k.as(mia).projects.addMember({ projectId: alpha.id, userId: out, role: "viewer" }), "BAD_REQUEST");

    const changes = await k.auditRows(sql`project_id = ${alpha.id}`);
    expect(changes.map((c) => c.action)).toEqual([
      "project.create", "project.member.add", "project.visibility", "project.defaultRole",
      "project.member.add", "project.visibility", "project.member.role", "project.member.remove",
    ]);
    expect(changes.every((c) => c.workspace_id === ws)).toBe(true);
    expect([parsedJson(changes[3].before), parsedJson(changes[3].after)]).toEqual([{ defaultRole: "viewer" }, { defaultRole: "contributor" }]);
    expect([parsedJson(changes[6].before), parsedJson(changes[6].after)]).toEqual([{ role: "maintainer" }, { role: "viewer" }]);
  });

  test("a workspace keeps an owner; only owners make or unmake owners", async () => {
    await expectCode(k.as(olga).workspaces.setRole({ workspaceId: ws, userId: olga, role: "admin" }), "CONFLICT");
    await expectCode(k.as(olga).workspaces.removeMember({ workspaceId: ws, userId: olga }), "CONFLICT");
    await expectCode(k.as(adam).workspaces.setRole({ workspaceId: ws, userId: mia, role: "owner" }), "FORBIDDEN");
    await expectCode(k.as(adam).workspaces.setRole({ workspaceId: ws, userId: olga, role: "member" }), "FORBIDDEN");
    await expectCode(k.as(adam).workspaces.removeMember({ workspaceId: ws, userId: olga }), "FORBIDDEN");
    await expectCode(k.as(mia).workspaces.setRole({ workspaceId: ws, userId: vic, role: "admin" }), "FORBIDDEN");
    await expectCode(k.as(olga).workspaces.setRole({ workspaceId: ws, userId: out, role: "admin" }), "NOT_FOUND");

    // Admins manage admins and members.
    expect(await k.as(adam).workspaces.setRole({ workspaceId: ws, userId: vic, role: "admin" })).toEqual({ role: "admin", changed: true });
    expect(await may(vic, "project.admin", (await k.as(mia).projects.list({ workspaceId: ws }))[0].id)).toBe("yes");
    await k.as(adam).workspaces.setRole({ workspaceId: ws, userId: vic, role: "member" });

    // With a second owner the first may step down.
    await k.as(olga).workspaces.setRole({ workspaceId: ws, userId: adam, role: "owner" });
    await k.as(olga).workspaces.setRole({ workspaceId: ws, userId: olga, role: "admin" });
    await expectCode(k.as(adam).workspaces.setRole({ workspaceId: ws, userId: adam, role: "member" }), "CONFLICT");
    await k.as(adam).workspaces.setRole({ workspaceId: ws, userId: olga, role: "owner" });

    const rows = await k.auditRows(sql`action = 'workspace.member.role' AND target_id = ${olga}`);
    expect(rows.map((r) => [parsedJson(r.before), parsedJson(r.after)])).toEqual([
      [{ role: "owner" }, { role: "admin" }], [{ role: "admin" }, { role: "owner" }],
    ]);
  });

  test("a project keeps an owner unless a workspace owner or admin acts", async () => {
    const beta = await k.as(mia).projects.create({ workspaceId: ws, slug: "beta", visibility: "workspace" });
    await k.as(mia).projects.addMember({ projectId: beta.id, userId: vic, role: "maintainer" });
    await expectCode(k.as(mia).projects.setMemberRole({ projectId: beta.id, userId: mia, role: "maintainer" }), "CONFLICT");
    await expectCode(k.as(mia).projects.removeMember({ projectId: beta.id, userId: mia }), "CONFLICT");
    await expectCode(k.as(vic).projects.removeMember({ projectId: beta.id, userId: mia }), "FORBIDDEN");
    // Two owners: one may go.
    await k.as(mia).projects.setMemberRole({ projectId: beta.id, userId: vic, role: "owner" });
    await k.as(vic).projects.setMemberRole({ projectId: beta.id, userId: mia, role: "contributor" });
    await expectCode(k.as(vic).projects.removeMember({ projectId: beta.id, userId: vic }), "CONFLICT");
    // A workspace admin owns every project anyway, and may remove the last explicit owner.
    await k.as(adam).projects.removeMember({ projectId: beta.id, userId: vic });
    expect((await k.as(adam).projects.members({ projectId: beta.id })).members.map((m) => [m.email, m.role])).toEqual([["mia@lab.example", "contributor"]]);
    // Anyone may leave a project they hold a grant on.
    await k.as(mia).projects.removeMember({ projectId: beta.id, userId: mia });
    expect(await may(mia, "project.read", beta.id)).toBe("yes"); // still through the workspace default
  });

  test("removing a workspace member removes their project grants, audited per project", async () => {
    const gamma = await k.as(olga).projects.create({ workspaceId: ws, slug: "gamma" });
    const zed = await k.person("zed@lab.example");
    await k.join(olga, ws, zed);
    await k.as(olga).projects.addMember({ projectId: gamma.id, userId: zed, role: "contributor" });
    expect(await may(zed, "run.write", gamma.id)).toBe("yes");
    await expectCode(k.as(mia).workspaces.removeMember({ workspaceId: ws, userId: zed }), "FORBIDDEN");
    expect(await k.as(adam).workspaces.removeMember({ workspaceId: ws, userId: zed })).toEqual({ removed: true, projectGrants: 1 });
    expect(await may(zed, "project.read", gamma.id)).toBe("not_found");
    expect(await s.db.database.rows(sql`SELECT 1 FROM project_members WHERE user_id = ${zed}`)).toEqual([]);
    await expectCode(k.as(zed).workspaces.members({ workspaceId: ws }), "NOT_FOUND");
    const rows = await k.auditRows(sql`target_id = ${zed} AND action LIKE '%.remove'`);
    expect(rows.map((r) => [r.action, r.workspace_id, r.project_id])).toEqual([
      ["project.member.remove", ws, gamma.id], ["workspace.member.remove", ws, null],
    ]);
    // A member may leave by themselves.
    const yan = await k.person("yan@lab.example");
    await k.join(olga, ws, yan);
    await k.as(yan).workspaces.removeMember({ workspaceId: ws, userId: yan });
    expect(await k.as(yan).workspaces.list()).toEqual([]);
  });

  test("an outsider gets NOT_FOUND from every workspace and project procedure", async () => {
    const alpha = (await k.as(olga).projects.list({ workspaceId: ws })).find((p) => p.slug === "alpha")!;
    await k.as(olga).projects.setAccess({ projectId: alpha.id, visibility: "workspace" });
    const invite = await k.as(olga).invites.create({ workspaceId: ws });
    const o = k.as(out);
    const calls: [string, () => Promise<unknown>][] = [
      ["workspaces.get", () => o.workspaces.get({ workspaceId: ws })],
      ["workspaces.get by slug", () => o.workspaces.get({ slug: "the-lab" })],
      ["workspaces.rename", () => o.workspaces.rename({ workspaceId: ws, name: "x" })],
      ["workspaces.members", () => o.workspaces.members({ workspaceId: ws })],
      ["workspaces.setRole", () => o.workspaces.setRole({ workspaceId: ws, userId: mia, role: "admin" })],
      ["workspaces.removeMember", () => o.workspaces.removeMember({ workspaceId: ws, userId: mia })],
      ["projects.list", () => o.projects.list({ workspaceId: ws })],
      ["projects.create", () => o.projects.create({ workspaceId: ws, slug: "mine" })],
      ["projects.settings", () => o.projects.settings({ projectId: alpha.id })],
      ["projects.settings by slug", () => o.projects.settings({ workspace: "the-lab", project: "alpha" })],
      ["projects.setAccess", () => o.projects.setAccess({ projectId: alpha.id, visibility: "private" })],
      ["projects.members", () => o.projects.members({ projectId: alpha.id })],
      ["projects.addMember", () => o.projects.addMember({ projectId: alpha.id, userId: out, role: "owner" })],
      ["projects.setMemberRole", () => o.projects.setMemberRole({ projectId: alpha.id, userId: mia, role: "viewer" })],
      ["projects.removeMember", () => o.projects.removeMember({ projectId: alpha.id, userId: mia })],
      ["projects.delete", () => o.projects.delete({ projectId: alpha.id })],
      ["invites.create", () => o.invites.create({ workspaceId: ws })],
      ["invites.list", () => o.invites.list({ workspaceId: ws })],
      ["invites.revoke", () => o.invites.revoke({ inviteId: invite.id })],
      ["audit.list workspace", () => o.audit.list({ workspaceId: ws })],
      ["audit.list project", () => o.audit.list({ projectId: alpha.id })],
    ];
    for (const [name, call] of calls) {
      const code = await call().then(() => "succeeded", (e: { code: string }) => e.code);
      expect(code, name).toBe("NOT_FOUND");
    }
    expect((await o.workspaces.list()).map((w) => w.slug)).toEqual(["elsewhere"]);
    // Nothing changed.
    expect(await k.as(mia).projects.settings({ projectId: alpha.id })).toMatchObject({ visibility: "workspace" });
  });

  test("a change and its audit row commit or fail together", async () => {
    const db = s.db.database;
    await db.rows(sql`CREATE FUNCTION cairn_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    // The change fails after its audit row was written: neither stays.
    await db.rows(sql`CREATE TRIGGER cairn_test_grant BEFORE INSERT ON project_members FOR EACH ROW EXECUTE FUNCTION cairn_test_fail()`);
    try {
      await expectCode(k.as(mia).projects.create({ workspaceId: ws, slug: "doomed" }), "INTERNAL_SERVER_ERROR");
    } finally {
      await db.rows(sql`DROP TRIGGER cairn_test_grant ON project_members`);
    }
    expect(await db.rows(sql`SELECT 1 FROM projects WHERE slug = 'doomed'`)).toEqual([]);
    expect(await db.rows(sql`SELECT 1 FROM audit_events WHERE action = 'project.create' AND after->>'slug' = 'doomed'`)).toEqual([]);

    // The second audit row of a change cannot be written: the change and its first row are not kept.
    const delta = await k.as(mia).projects.create({ workspaceId: ws, slug: "delta" });
    await db.rows(sql`CREATE FUNCTION cairn_test_fail_on() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = TG_ARGV[0] THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await db.rows(sql`CREATE TRIGGER cairn_test_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION cairn_test_fail_on('project.defaultRole')`);
    try {
      await expectCode(k.as(mia).projects.setAccess({ projectId: delta.id, visibility: "workspace", defaultRole: "contributor" }), "INTERNAL_SERVER_ERROR");
    } finally {
      await db.rows(sql`DROP TRIGGER cairn_test_audit ON audit_events`);
    }
    expect(await db.rows(sql`SELECT 1 FROM audit_events WHERE project_id = ${delta.id} AND action = 'project.visibility'`)).toEqual([]);
    await db.rows(sql`CREATE TRIGGER cairn_test_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION cairn_test_fail()`);
    try {
      await expectCode(k.as(olga).workspaces.setRole({ workspaceId: ws, userId: vic, role: "admin" }), "INTERNAL_SERVER_ERROR");
    } finally {
      await db.rows(sql`DROP TRIGGER cairn_test_audit ON audit_events`);
    }
    expect(await k.as(mia).projects.settings({ projectId: delta.id })).toMatchObject({ visibility: "private" });
    expect((await k.as(vic).workspaces.get({ workspaceId: ws })).myRole).toBe("member");
  });

  test("deleting a project: owners only; it is gone for everyone, and the workspace log keeps the record", async () => {
    const eps = await k.as(mia).projects.create({ workspaceId: ws, slug: "epsilon", visibility: "workspace", defaultRole: "maintainer" });
    await expectCode(k.as(vic).projects.delete({ projectId: eps.id }), "FORBIDDEN");
    expect(await k.as(mia).projects.delete({ projectId: eps.id })).toEqual({ deleted: true });
    await expectCode(k.as(mia).projects.settings({ projectId: eps.id }), "NOT_FOUND");
    await expectCode(k.as(olga).projects.delete({ projectId: eps.id }), "NOT_FOUND");
    const page = await k.as(olga).audit.list({ workspaceId: ws, action: "project.delete" });
    expect(page.events.map((e) => [e.action, e.projectId, e.before])).toEqual([["project.delete", eps.id, expect.objectContaining({ slug: "epsilon" })]]);
  });

  test("bad ids are a 400 naming the field, not a database error", async () => {
    await expectCode(k.as(olga).projects.settings({ projectId: "nope" }), "BAD_REQUEST");
    await expectCode(k.as(olga).workspaces.members({ workspaceId: "x'; drop table users" }), "BAD_REQUEST");
  });
});
