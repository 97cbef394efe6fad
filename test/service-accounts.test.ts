import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { signInWithPassword } from "@/server/services/accounts/sign-in";
import { assertMayGrant } from "@/server/services/service-accounts/role-cap";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { disconnected, jsonOf, people, rejectsWith } from "./helpers/people";

describe.each(databaseKinds())("service accounts on $name", (kind) => {
  let s: ApiServer;
  let p: ReturnType<typeof people>;
  let iris: string;
  let other: string;
  let mia: string; // maintainer of iris
  let carl: string; // contributor
  let vic: string; // viewer
  let out: string; // workspace member without a role in iris
  let otto: string; // maintainer of another project only
  const sockets: Socket[] = [];
  beforeAll(async () => {
    s = await startApiServer(kind);
    p = people(s.server.services);
    iris = s.projectId;
    other = (await ensureProject(s.db.database, { email: "owner@example.com", workspace: "acme", project: "other" })).projectId;
    mia = await p.person("mia@example.com", "acme", { iris: "maintainer" });
    carl = await p.person("carl@example.com", "acme", { iris: "contributor" });
    vic = await p.person("vic@example.com", "acme", { iris: "viewer" });
    out = await p.person("out@example.com", "acme");
    otto = await p.person("otto@example.com", "acme", { other: "maintainer" });
  });
  afterAll(async () => {
    sockets.forEach((c) => c.close());
    await s?.close();
  });

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const createRun = (key: string, project = "iris") => s.call("POST", `/api/v1/projects/acme/${project}/runs`, {}, bearer(key));
  const openSocket = async (apiKey: string) => {
    const c = connect(s.url, { auth: { apiKey }, transports: ["websocket"], reconnection: false });
    sockets.push(c);
    await new Promise<void>((resolve, reject) => { c.once("connect", () => resolve()); c.once("connect_error", reject); });
    return c;
  };

  test("a maintainer creates a password-less identity of kind service with a project role and keys limited to the project", async () => {
    const sa = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "CI Runner", role: "contributor" });
    expect(sa).toMatchObject({ name: "CI Runner", role: "contributor", projectId: iris });
    expect(sa.email).toMatch(/^ci-runner-[0-9a-f]{6}@service-accounts\.invalid$/);
    const [row] = await s.db.database.rows<{ kind: string; password_hash: string | null; service_project_id: string; created_by: string; disabled_at: Date | null }>(sql`
      SELECT kind, password_hash, service_project_id, created_by, disabled_at FROM users WHERE id = ${sa.id}`);
    expect(row).toMatchObject({ kind: "service", password_hash: null, service_project_id: iris, created_by: mia, disabled_at: null });
    // It cannot sign in, whatever is tried.
    expect(await signInWithPassword(s.db.database, { email: sa.email, password: "anything-at-all", ip: "10.0.0.1" })).toBeNull();

    const key = await p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "github actions" });
    expect(key.secret).toMatch(/^cairn_/);
    expect((await createRun(key.secret)).status).toBe(201);
    // Limited to its project even if it is granted a role elsewhere.
    await p.setRole(sa.id, other, "contributor");
    expect((await createRun(key.secret, "other")).status).toBe(404);
    await p.setRole(sa.id, other, null);

    const list = await p.as(mia).serviceAccounts.list({ projectId: iris });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: sa.id, name: "CI Runner", email: sa.email, role: "contributor", createdBy: { id: mia, email: "mia@example.com" },
      keys: [{ id: key.id, name: "github actions", prefix: key.prefix, readOnly: false, projectIds: [iris], projects: [{ id: iris, name: "iris" }], revokedAt: null }],
    });
    expect(JSON.stringify(list)).not.toContain(key.secret);
    // The service account is not listed among the maintainer's personal keys.
    expect(await p.as(mia).keys.list()).toEqual([]);
  });

  test("only maintainers and up manage them; others get 403 if they see the project, 404 if not", async () => {
    await rejectsWith(p.as(carl).serviceAccounts.create({ projectId: iris, name: "x", role: "viewer" }), "FORBIDDEN");
    await rejectsWith(p.as(vic).serviceAccounts.list({ projectId: iris }), "FORBIDDEN");
    await rejectsWith(p.as(out).serviceAccounts.list({ projectId: iris }), "NOT_FOUND");
    await rejectsWith(p.as(out).serviceAccounts.create({ projectId: iris, name: "x", role: "viewer" }), "NOT_FOUND");
    await rejectsWith(p.as(mia).serviceAccounts.create({ projectId: iris, name: "x", role: "owner" as never }), "BAD_REQUEST", /^role:/);
    await rejectsWith(p.asActor({ kind: "apiKey", userId: mia, keyId: iris, projectIds: null, readOnly: false })
      .serviceAccounts.list({ projectId: iris }), "UNAUTHORIZED");

    const sa = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "nightly", role: "maintainer" });
    // A maintainer of another project cannot tell it exists.
    await rejectsWith(p.as(otto).serviceAccounts.update({ serviceAccountId: sa.id, name: "mine" }), "NOT_FOUND");
    await rejectsWith(p.as(otto).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "k" }), "NOT_FOUND");
    await rejectsWith(p.as(otto).serviceAccounts.delete({ serviceAccountId: sa.id }), "NOT_FOUND");
    expect(await p.as(otto).serviceAccounts.list({ projectId: other })).toEqual([]);
    await rejectsWith(p.as(carl).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "k" }), "FORBIDDEN");
    // A person is not a service account.
    await rejectsWith(p.as(mia).serviceAccounts.createKey({ serviceAccountId: carl, name: "k" }), "NOT_FOUND");
  });

  test("never granted more than the granting person's own role", async () => {
    const ctx = (userId: string) => ({ ...s.server.services, actor: { kind: "user" as const, userId } });
    await expect(assertMayGrant(ctx(carl), iris, "maintainer")).rejects.toThrow(/higher role than yours \(contributor\)/);
    await expect(assertMayGrant(ctx(carl), iris, "contributor")).resolves.toBeUndefined();
    await expect(assertMayGrant(ctx(out), iris, "viewer")).rejects.toThrow(/not found/);
    await expect(assertMayGrant(ctx(mia), iris, "maintainer")).resolves.toBeUndefined();
  });

  test("the member verbs cannot reach a service account (its role stays capped), and member lists leave it out", async () => {
    const owner = await p.userIdByEmail("owner@example.com");
    const sa = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "capped", role: "viewer" });
    await rejectsWith(p.as(owner).projects.setMemberRole({ projectId: iris, userId: sa.id, role: "owner" }), "NOT_FOUND");
    await rejectsWith(p.as(owner).projects.removeMember({ projectId: iris, userId: sa.id }), "NOT_FOUND");
    const members = await p.as(owner).projects.members({ projectId: iris });
    expect(members.members.map((m) => m.userId)).not.toContain(sa.id);
    expect((await p.as(mia).serviceAccounts.list({ projectId: iris })).map((a) => a.id)).toContain(sa.id);
  });

  test("changing the role binds its keys at once; read-only keys never write", async () => {
    const sa = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "trainer", role: "contributor" });
    const { secret } = await p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "k" });
    const ro = await p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "ro", readOnly: true, expiresInDays: 7 });
    expect((await createRun(secret)).status).toBe(201);
    expect((await createRun(ro.secret)).status).toBe(403);
    expect(await p.as(mia).serviceAccounts.update({ serviceAccountId: sa.id, role: "viewer", name: "trainer (paused)" }))
      .toEqual({ id: sa.id, name: "trainer (paused)", role: "viewer" });
    expect((await createRun(secret)).status).toBe(403);
    const listed = (await p.as(mia).serviceAccounts.list({ projectId: iris })).find((a) => a.id === sa.id)!;
    expect(listed).toMatchObject({ name: "trainer (paused)", role: "viewer" });
    expect(listed.keys.find((k) => k.id === ro.id)).toMatchObject({ readOnly: true, expiresAt: ro.expiresAt });
  });

  test("revoking a key: 401 next request, sockets closed", async () => {
    const sa = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "uploader", role: "contributor" });
    const key = await p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "k" });
    const c = await openSocket(key.secret);
    const closed = disconnected(c);
    await rejectsWith(p.as(vic).serviceAccounts.revokeKey({ serviceAccountId: sa.id, keyId: key.id }), "FORBIDDEN");
    // A key of another account, even of the same project, is not found under this one.
    const other = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "other", role: "viewer" });
    await rejectsWith(p.as(mia).serviceAccounts.revokeKey({ serviceAccountId: other.id, keyId: key.id }), "NOT_FOUND");
    expect(await p.as(mia).serviceAccounts.revokeKey({ serviceAccountId: sa.id, keyId: key.id })).toEqual({ revoked: true });
    expect(await closed).toBe("io server disconnect");
    expect((await createRun(key.secret)).status).toBe(401);
    expect(await p.as(mia).serviceAccounts.revokeKey({ serviceAccountId: sa.id, keyId: key.id })).toEqual({ revoked: false });
  });

  test("deleting disables it, revokes every key, closes their sockets; all of it audited with project and workspace", async () => {
    const sa = await p.as(mia).serviceAccounts.create({ projectId: iris, name: "retired", role: "contributor" });
    const k1 = await p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "one" });
    const k2 = await p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "two" });
    await p.as(mia).serviceAccounts.update({ serviceAccountId: sa.id, role: "viewer" });
    const c1 = await openSocket(k1.secret);
    const c2 = await openSocket(k2.secret);
    const closed = Promise.all([c1, c2].map((c) => disconnected(c)));

    await rejectsWith(p.as(carl).serviceAccounts.delete({ serviceAccountId: sa.id }), "FORBIDDEN");
    expect(await p.as(mia).serviceAccounts.delete({ serviceAccountId: sa.id })).toEqual({ deleted: true, revokedKeys: 2 });
    expect(await closed).toEqual(["io server disconnect", "io server disconnect"]);
    expect((await createRun(k1.secret)).status).toBe(401);
    expect((await s.call("GET", "/api/v1/health", undefined, bearer(k2.secret))).status).toBe(200);
    expect((await createRun(k2.secret)).status).toBe(401);
    expect((await p.as(mia).serviceAccounts.list({ projectId: iris })).map((a) => a.id)).not.toContain(sa.id);
    expect(await p.as(mia).serviceAccounts.delete({ serviceAccountId: sa.id })).toEqual({ deleted: false, revokedKeys: 0 });
    await rejectsWith(p.as(mia).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "again" }), "NOT_FOUND");
    await rejectsWith(p.as(mia).serviceAccounts.update({ serviceAccountId: sa.id, role: "maintainer" }), "NOT_FOUND");
    const [row] = await s.db.database.rows<{ disabled: boolean }>(sql`SELECT disabled_at IS NOT NULL AS disabled FROM users WHERE id = ${sa.id}`);
    expect(row.disabled).toBe(true);

    const [{ workspace_id }] = await s.db.database.rows<{ workspace_id: string }>(sql`SELECT workspace_id FROM projects WHERE id = ${iris}`);
    const audit = await s.db.database.rows<{ action: string; target_id: string; project_id: string; workspace_id: string; actor_id: string; after: unknown }>(sql`
      SELECT action, target_id, project_id, workspace_id, actor_id, after FROM audit_events
      WHERE target_id IN (${sa.id}, ${k1.id}, ${k2.id}) ORDER BY created_at, action`);
    expect(audit.map((a) => `${a.action} ${a.target_id === sa.id ? "account" : a.target_id === k1.id ? "k1" : "k2"}`).sort()).toEqual([
      "apiKey.create k1", "apiKey.create k2", "apiKey.revoke k1", "apiKey.revoke k2",
      "serviceAccount.create account", "serviceAccount.delete account", "serviceAccount.update account",
    ]);
    for (const a of audit) expect(a).toMatchObject({ project_id: iris, workspace_id, actor_id: mia });
    expect(jsonOf(audit.find((a) => a.action === "serviceAccount.update")!.after)).toMatchObject({ role: "viewer" });
  });
});
