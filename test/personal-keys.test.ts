import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { io as connect } from "socket.io-client";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { disconnected, jsonOf, people, rejectsWith } from "./helpers/people";

describe.each(databaseKinds())("personal API keys on $name", (kind) => {
  let s: ApiServer;
  let p: ReturnType<typeof people>;
  let iris: string;
  let secret: string;
  let dana: string;
  beforeAll(async () => {
    s = await startApiServer(kind);
    p = people(s.server.services);
    iris = s.projectId;
    // Same workspace, private: dana is a member of the workspace but not of this project.
    secret = (await ensureProject(s.db.database, { email: "owner@example.com", workspace: "acme", project: "secret" })).projectId;
    dana = await p.person("dana@example.com", "acme", { iris: "contributor" });
  });
  afterAll(async () => { await s?.close(); });

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const createRun = (key: string, project = "iris") => s.call("POST", `/api/v1/projects/acme/${project}/runs`, {}, bearer(key));

  test("create shows the secret once; list shows prefix, projects by name, read-only, expiry, no secrets", async () => {
    const created = await p.as(dana).keys.create({ name: "laptop", projectIds: [iris], expiresInDays: 30 });
    expect(created.secret).toMatch(/^cairn_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.secret.slice(0, 12));
    expect(new Date(created.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const ro = await p.as(dana).keys.create({ name: "dashboards", readOnly: true });

    const list = await p.as(dana).keys.list();
    expect(list.map((k) => k.name)).toEqual(["dashboards", "laptop"]);
    expect(list[1]).toMatchObject({
      id: created.id, prefix: created.prefix, readOnly: false, revokedAt: null, lastUsedAt: null, expiresAt: created.expiresAt,
      projectIds: [iris], projects: [{ id: iris, name: "iris" }],
    });
    expect(list[0]).toMatchObject({ id: ro.id, readOnly: true, projectIds: null, projects: null, expiresAt: null });
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const [stored] = await s.db.database.rows<{ secret_hash: string }>(sql`SELECT secret_hash FROM api_keys WHERE id = ${created.id}`);
    expect(stored.secret_hash).not.toContain(created.secret);

    // Someone else's list never shows dana's keys.
    const eve = await p.person("eve@example.com", "acme", { iris: "owner" });
    expect(await p.as(eve).keys.list()).toEqual([]);

    // Using the key records when it was last used.
    expect((await createRun(created.secret)).status).toBe(201);
    await expect.poll(async () => (await p.as(dana).keys.list()).find((k) => k.id === created.id)?.lastUsedAt, { timeout: 5000 }).not.toBeNull();

    const [audit] = await s.db.database.rows<{ actor_kind: string; actor_id: string; after: unknown }>(sql`
      SELECT actor_kind, actor_id, after FROM audit_events WHERE action = 'apiKey.create' AND target_id = ${created.id}`);
    expect(audit).toMatchObject({ actor_kind: "user", actor_id: dana });
    expect(jsonOf(audit.after)).toMatchObject({ name: "laptop", projectIds: [iris], readOnly: false });
  });

  test("a key cannot be limited to a project its owner cannot see (404, as for one that does not exist)", async () => {
    await rejectsWith(p.as(dana).keys.create({ name: "x", projectIds: [secret] }), "NOT_FOUND");
    await rejectsWith(p.as(dana).keys.create({ name: "x", projectIds: [iris, "9b0c3f8e-1d2a-4c5b-8e7f-0a1b2c3d4e5f"] }), "NOT_FOUND");
    await rejectsWith(p.as(dana).keys.create({ name: "", readOnly: false }), "BAD_REQUEST", /^name:/);
    await rejectsWith(p.as(dana).keys.create({ name: "x", projectIds: [] }), "BAD_REQUEST", /^projectIds:/);
    await rejectsWith(p.as(dana).keys.create({ name: "x", expiresInDays: 0 }), "BAD_REQUEST", /^expiresInDays:/);
    const [{ n }] = await s.db.database.rows<{ n: number | string }>(sql`SELECT count(*) AS n FROM api_keys WHERE user_id = ${dana} AND name = 'x'`);
    expect(Number(n)).toBe(0);
  });

  test("only a signed-in person manages keys: not an API key, not a share link, not anonymous", async () => {
    const key = { kind: "apiKey" as const, userId: dana, keyId: "00000000-0000-0000-0000-000000000000", projectIds: null, readOnly: false };
    await rejectsWith(p.asActor(key).keys.list(), "UNAUTHORIZED");
    await rejectsWith(p.asActor(key).keys.create({ name: "escalate" }), "UNAUTHORIZED");
    await rejectsWith(p.asActor({ kind: "share", linkId: key.keyId, projectId: iris, runIds: null }).keys.list(), "UNAUTHORIZED");
    await rejectsWith(p.asActor(null).keys.revoke({ keyId: key.keyId }), "UNAUTHORIZED");
  });

  test("a key never exceeds its owner's current role: demoted → 403, removed → 404, restored → works", async () => {
    const frank = await p.person("frank@example.com", "acme", { iris: "contributor" });
    const { secret: key } = await p.as(frank).keys.create({ name: "train" });
    expect((await createRun(key)).status).toBe(201);
    await p.setRole(frank, iris, "viewer");
    const demoted = await createRun(key);
    expect(demoted.status).toBe(403);
    expect(demoted.json.error.message).toContain("viewer");
    const run = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json;
    expect((await s.call("GET", `/api/v1/runs/${run.id}`, undefined, bearer(key))).status).toBe(200);
    await p.setRole(frank, iris, null);
    expect((await createRun(key)).status).toBe(404);
    expect((await s.call("GET", `/api/v1/runs/${run.id}`, undefined, bearer(key))).status).toBe(404);
    await p.setRole(frank, iris, "contributor");
    expect((await createRun(key)).status).toBe(201);

    // Limited to iris: a project frank joins later stays out of the key's reach.
    const { secret: limited } = await p.as(frank).keys.create({ name: "iris only", projectIds: [iris] });
    await p.setRole(frank, secret, "contributor");
    expect((await createRun(limited, "secret")).status).toBe(404);
    expect((await createRun(key, "secret")).status).toBe(201);
    // Read-only: reads, never writes, whatever the role.
    const { secret: ro } = await p.as(frank).keys.create({ name: "ro", readOnly: true });
    const denied = await createRun(ro);
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain("read-only");
    expect((await s.call("GET", `/api/v1/runs/${run.id}`, undefined, bearer(ro))).status).toBe(200);
  });

  test("revoking through the router: next REST request 401, open socket closed, audited; others' keys are 404", async () => {
    const gina = await p.person("gina@example.com", "acme", { iris: "contributor" });
    const { id, secret: key } = await p.as(gina).keys.create({ name: "ws" });
    const socket = connect(s.url, { auth: { apiKey: key }, transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve, reject) => { socket.once("connect", () => resolve()); socket.once("connect_error", reject); });
    const joined = await new Promise((resolve) => socket.emit("join", `project:${iris}`, resolve));
    expect(joined).toEqual({ ok: true });
    const closed = disconnected(socket);

    await rejectsWith(p.as(dana).keys.revoke({ keyId: id }), "NOT_FOUND");
    await rejectsWith(p.as(gina).keys.revoke({ keyId: "not-an-id" }), "BAD_REQUEST");
    expect(await p.as(gina).keys.revoke({ keyId: id })).toEqual({ revoked: true });
    expect(await closed).toBe("io server disconnect");
    const after = await createRun(key);
    expect(after.status).toBe(401);
    expect(after.json.error.message).toContain("revoked");
    expect(await p.as(gina).keys.revoke({ keyId: id })).toEqual({ revoked: false });
    expect((await p.as(gina).keys.list())[0].revokedAt).not.toBeNull();

    // A revoked key cannot open a socket either.
    const again = connect(s.url, { auth: { apiKey: key }, transports: ["websocket"], reconnection: false });
    const refused = await new Promise<Error>((resolve) => again.once("connect_error", resolve));
    expect(refused.message).toContain("revoked");
    again.close();
    socket.close();

    const audit = await s.db.database.rows<{ action: string; actor_id: string }>(sql`
      SELECT action, actor_id FROM audit_events WHERE target_id = ${id} ORDER BY created_at`);
    expect(audit).toEqual([{ action: "apiKey.create", actor_id: gina }, { action: "apiKey.revoke", actor_id: gina }]);
  });
});
