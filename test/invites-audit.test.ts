import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { hashSecret } from "@/server/authz/authenticate-key";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { accessKit, expectCode } from "./helpers/access-kit";

describe.each(databaseKinds())("invites and the audit log on $name", (kind) => {
  let s: ApiServer;
  let k: ReturnType<typeof accessKit>;
  let owner: string, admin: string, member: string, out: string;
  let ws: string;

  beforeAll(async () => {
    s = await startApiServer(kind);
    k = accessKit(s.server.services);
    [owner, admin, member, out] = await Promise.all(["owner", "admin", "member", "out"].map((n) => k.person(`${n}@inv.example`)));
    ws = (await k.as(owner).workspaces.create({ name: "Invited" })).id;
    await k.join(owner, ws, admin, "admin");
    await k.join(owner, ws, member);
  });
  afterAll(async () => { await s?.close(); });

  const roleIn = async (userId: string) =>
    (await s.db.database.rows<{ role: string }>(sql`SELECT role FROM workspace_members WHERE workspace_id = ${ws} AND user_id = ${userId}`))[0]?.role ?? null;
  const anonymous = () => k.asActor(null);

  test("an admin's invite: a copyable link, stored hashed; lookup; a new account accepts it once", async () => {
    await expectCode(k.as(member).invites.create({ workspaceId: ws }), "FORBIDDEN");
    const invite = await k.as(admin).invites.create({ workspaceId: ws, role: "admin" });
    expect(invite.url).toBe(`${s.server.services.publicUrl}/invite/${invite.token}`);
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(invite.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    const stored = await s.db.database.rows<{ token_hash: string }>(sql`SELECT token_hash FROM invites WHERE id = ${invite.id}`);
    expect(stored[0].token_hash).toBe(hashSecret(invite.token));
    expect(JSON.stringify(await s.db.database.rows(sql`SELECT * FROM invites`))).not.toContain(invite.token);

    expect((await k.as(admin).invites.list({ workspaceId: ws })).map((i) => i.id)).toContain(invite.id);
    await expectCode(k.as(member).invites.list({ workspaceId: ws }), "FORBIDDEN");

    expect(await anonymous().invites.lookup({ token: invite.token })).toMatchObject({
      workspace: { name: "Invited", slug: "invited" }, role: "admin", email: null,
      invitedBy: { email: "admin@inv.example" }, expired: false, used: false,
    });
    await expectCode(anonymous().invites.lookup({ token: "x".repeat(43) }), "NOT_FOUND");
    await expectCode(anonymous().invites.accept({ token: invite.token }), "UNAUTHORIZED");

    const joined = await anonymous().invites.accept({
      token: invite.token, account: { name: "Nina New", email: "Nina@Inv.example", password: "a long password" },
    });
    expect(joined).toMatchObject({ workspaceId: ws, workspaceSlug: "invited", role: "admin", created: true });
    expect(await roleIn(joined.userId)).toBe("admin");
    const [nina] = await s.db.database.rows<{ email: string; password_hash: string | null }>(sql`SELECT email, password_hash FROM users WHERE id = ${joined.userId}`);
    expect(nina.email).toBe("nina@inv.example");
    expect(nina.password_hash).toMatch(/^scrypt\$/);

    expect(await anonymous().invites.lookup({ token: invite.token })).toMatchObject({ used: true });
    await expectCode(k.as(out).invites.accept({ token: invite.token }), "CONFLICT");
    expect(await roleIn(out)).toBeNull();
    expect((await k.as(admin).invites.list({ workspaceId: ws })).map((i) => i.id)).not.toContain(invite.id);

    const audit = await k.auditRows(sql`workspace_id = ${ws} AND (target_id = ${invite.id} OR target_id = ${joined.userId})`);
    expect(audit.map((a) => a.action)).toEqual(["invite.create", "workspace.member.add", "invite.accept"]);
  });

  test("a signed-in person joins; an existing member keeps the stronger role", async () => {
    const sam = await k.person("sam@inv.example");
    const invite = await k.as(owner).invites.create({ workspaceId: ws });
    expect(await k.as(sam).invites.accept({ token: invite.token })).toMatchObject({ userId: sam, role: "member", created: false });
    expect(await roleIn(sam)).toBe("member");
    // The admin accepting a member invite stays admin; a member accepting an admin invite becomes admin.
    const second = await k.as(owner).invites.create({ workspaceId: ws });
    expect(await k.as(admin).invites.accept({ token: second.token })).toMatchObject({ role: "admin" });
    const third = await k.as(owner).invites.create({ workspaceId: ws, role: "admin" });
    await k.as(sam).invites.accept({ token: third.token });
    expect(await roleIn(sam)).toBe("admin");
  });

  test("expired and revoked invites cannot be used", async () => {
    const expired = await k.as(owner).invites.create({ workspaceId: ws, expiresInDays: 1 });
    await s.db.database.rows(sql`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = ${expired.id}`);
    expect(await anonymous().invites.lookup({ token: expired.token })).toMatchObject({ expired: true, used: false });
    await expectCode(k.as(out).invites.accept({ token: expired.token }), "CONFLICT");
    expect((await k.as(owner).invites.list({ workspaceId: ws })).map((i) => i.id)).not.toContain(expired.id);

    const revoked = await k.as(owner).invites.create({ workspaceId: ws });
    await expectCode(k.as(member).invites.revoke({ inviteId: revoked.id }), "FORBIDDEN");
    expect(await k.as(admin).invites.revoke({ inviteId: revoked.id })).toEqual({ revoked: true });
    expect(await k.as(admin).invites.revoke({ inviteId: revoked.id })).toEqual({ revoked: false });
    await expectCode(anonymous().invites.lookup({ token: revoked.token }), "NOT_FOUND");
    await expectCode(k.as(out).invites.accept({ token: revoked.token }), "NOT_FOUND");
    await expectCode(anonymous().invites.accept({ token: revoked.token, account: { name: "R", email: "r@inv.example", password: "a long password" } }), "NOT_FOUND");
    expect(await roleIn(out)).toBeNull();
    expect(await s.db.database.rows(sql`SELECT 1 FROM users WHERE email = 'r@inv.example'`)).toEqual([]);
  });

  test("two people accepting one invite at once: one joins, the other gets CONFLICT", async () => {
    const invite = await k.as(owner).invites.create({ workspaceId: ws });
    const [p1, p2] = await Promise.all([k.person("race1@inv.example"), k.person("race2@inv.example")]);
    const results = await Promise.allSettled([
      k.as(p1).invites.accept({ token: invite.token }),
      k.as(p2).invites.accept({ token: invite.token }),
      anonymous().invites.accept({ token: invite.token, account: { name: "Race 3", email: "race3@inv.example", password: "a long password" } }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(["CONFLICT", "CONFLICT"]);
    const members = [await roleIn(p1), await roleIn(p2)].filter(Boolean);
    const race3 = await s.db.database.rows(sql`SELECT 1 FROM users WHERE email = 'race3@inv.example'`);
    expect(members.length + race3.length).toBe(1);
    expect(await k.auditRows(sql`action = 'invite.accept' AND target_id = ${invite.id}`)).toHaveLength(1);
  });

  test("an invite for one address only accepts that address", async () => {
    const invite = await k.as(owner).invites.create({ workspaceId: ws, email: "Only@Inv.example" });
    expect(await anonymous().invites.lookup({ token: invite.token })).toMatchObject({ email: "only@inv.example" });
    await expectCode(k.as(out).invites.accept({ token: invite.token }), "FORBIDDEN");
    await expectCode(anonymous().invites.accept({ token: invite.token, account: { name: "X", email: "other@inv.example", password: "a long password" } }), "FORBIDDEN");
    expect(await anonymous().invites.lookup({ token: invite.token })).toMatchObject({ used: false });
    const only = await k.person("only@inv.example");
    await k.as(only).invites.accept({ token: invite.token });
    expect(await roleIn(only)).toBe("member");
  });

  test("audit.list: workspace admins see the workspace and its projects, project owners their project only", async () => {
    const pm = await k.person("pm@inv.example");
    await k.join(owner, ws, pm);
    const proj = await k.as(pm).projects.create({ workspaceId: ws, slug: "logged", visibility: "workspace" });
    await k.as(pm).projects.addMember({ projectId: proj.id, userId: member, role: "contributor" });
    await k.as(pm).projects.setMemberRole({ projectId: proj.id, userId: member, role: "maintainer" });
    await k.as(pm).projects.setAccess({ projectId: proj.id, defaultRole: "contributor" });

    // The project owner: their project's events only, each with actor display.
    const mine = await k.as(pm).audit.list({ projectId: proj.id });
    expect(mine.events.map((e) => e.action)).toEqual([
      "project.defaultRole", "project.member.role", "project.member.add", "project.member.add", "project.create",
    ]);
    expect(mine.events.every((e) => e.projectId === proj.id && e.workspaceId === ws)).toBe(true);
    expect(mine.events[0].actor).toEqual({ kind: "user", id: pm, label: "pm <pm@inv.example>" });
    expect(mine.events[1]).toMatchObject({ target: { kind: "user", id: member, label: "member <member@inv.example>" }, before: { role: "contributor" }, after: { role: "maintainer" } });
    await expectCode(k.as(pm).audit.list({ workspaceId: ws }), "FORBIDDEN");
    // A maintainer or a member who sees the project is not its owner; an outsider does not see it.
    await expectCode(k.as(member).audit.list({ projectId: proj.id }), "FORBIDDEN");
    await expectCode(k.as(member).audit.list({ workspaceId: ws }), "FORBIDDEN");
    await expectCode(k.as(out).audit.list({ projectId: proj.id }), "NOT_FOUND");

    // Workspace admins: everything in the workspace, invites and memberships included.
    const all = await k.as(admin).audit.list({ workspaceId: ws, limit: 200 });
    const actions = new Set(all.events.map((e) => e.action));
    for (const a of ["workspace.create", "workspace.member.add", "invite.create", "invite.accept", "invite.revoke", "project.create", "project.defaultRole"]) {
      expect(actions, a).toContain(a);
    }
    const times = all.events.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    // Filters.
    const memberships = await k.as(admin).audit.list({ workspaceId: ws, action: "project.member", limit: 200 });
    expect(new Set(memberships.events.map((e) => e.action))).toEqual(new Set(["project.member.add", "project.member.role"]));
    const invites = await k.as(admin).audit.list({ workspaceId: ws, targetKind: "invite", limit: 200 });
    expect(invites.events.length).toBeGreaterThan(0);
    expect(invites.events.every((e) => e.target.kind === "invite")).toBe(true);
    const byEmail = await k.as(admin).audit.list({ workspaceId: ws, actor: "pm@inv.example", limit: 200 });
    const byId = await k.as(admin).audit.list({ workspaceId: ws, actor: pm, limit: 200 });
    expect(byEmail.events.map((e) => e.id)).toEqual(byId.events.map((e) => e.id));
    expect(byEmail.events.every((e) => e.actor.id === pm)).toBe(true);
    // Accepting the invite (workspace.member.add, invite.accept) and the five project events.
    expect(byEmail.events).toHaveLength(7);
    expect((await k.as(admin).audit.list({ workspaceId: ws, from: new Date(Date.now() + 60_000) })).events).toEqual([]);
    const createdAt = mine.events[mine.events.length - 1].at;
    const since = await k.as(admin).audit.list({ workspaceId: ws, from: new Date(createdAt), limit: 200 });
    expect(since.events.map((e) => e.action)).toEqual(mine.events.map((e) => e.action));
    expect((await k.as(admin).audit.list({ workspaceId: ws, to: new Date(createdAt), action: "project." })).events).toEqual([]);

    // Keyset pages: newest first, no repeats, no gaps, rows of one transaction included.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await k.as(admin).audit.list({ workspaceId: ws, limit: 3, cursor });
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.events.map((e) => e.id));
    await expectCode(k.as(admin).audit.list({ workspaceId: ws, cursor: "garbage" }), "BAD_REQUEST");
    await expectCode(k.as(admin).audit.list({ workspaceId: ws, projectId: proj.id }), "BAD_REQUEST");
  });
});
