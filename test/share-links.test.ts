import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientEvents, JoinReply, ServerEvents } from "@/contracts/events";
import { createContext, SHARE_HEADER } from "@/server/api/context";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { hashSecret } from "@/server/authz/authenticate-key";
import { forgetAccess } from "@/server/authz/forget-access";
import { openDatabase } from "@/server/db/client";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { createShareLink } from "@/server/services/share-links/create-share-link";
import { resolveShareLink } from "@/server/services/share-links/resolve-share-link";
import { databaseKinds, tempDir } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { disconnected, jsonOf, people, rejectsWith } from "./helpers/people";

type Client = Socket<ServerEvents, ClientEvents>;

describe.each(databaseKinds())("share links on $name", (kind) => {
  let s: ApiServer;
  let p: ReturnType<typeof people>;
  let iris: string;
  let secretProject: string;
  let carl: string; // contributor
  let dave: string; // contributor
  let mia: string; // maintainer
  let vic: string; // viewer
  let out: string; // no role
  const runs: string[] = [];
  let foreignRun: string;
  const sockets: Client[] = [];

  beforeAll(async () => {
    s = await startApiServer(kind);
    p = people(s.server.services);
    iris = s.projectId;
    const sec = await s.newKey({ email: "owner@example.com", workspace: "acme", project: "secret" });
    secretProject = sec.projectId;
    carl = await p.person("carl@example.com", "acme", { iris: "contributor" });
    dave = await p.person("dave@example.com", "acme", { iris: "contributor" });
    mia = await p.person("mia@example.com", "acme", { iris: "maintainer" });
    vic = await p.person("vic@example.com", "acme", { iris: "viewer" });
    out = await p.person("out@example.com", "acme");
    for (const name of ["a", "b", "c"]) runs.push((await s.call("POST", "/api/v1/projects/acme/iris/runs", { name })).json.id);
    foreignRun = (await s.call("POST", "/api/v1/projects/acme/secret/runs", {}, { authorization: `Bearer ${sec.key}` })).json.id;
    expect(foreignRun).toBeTruthy();
  });
  afterAll(async () => {
    sockets.forEach((c) => c.close());
    await s?.close();
  });

  const shareActor = (token: string) => authenticateShare(s.db.database, token);
  const viaLink = async (token: string) => p.asActor(await shareActor(token));
  const open = async (shareToken: string): Promise<Client> => {
    const c: Client = connect(s.url, { auth: { shareToken }, transports: ["websocket"], reconnection: false });
    sockets.push(c);
    await new Promise<void>((resolve, reject) => { c.once("connect", () => resolve()); c.once("connect_error", reject); });
    return c;
  };
  const join = (c: Client, room: string) => new Promise<JoinReply>((resolve) => c.emit("join", room, resolve));

  test("a contributor shares a run: URL with a cs_ token shown once, only its hash stored, audited", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "run", runId: runs[0] }, label: "for the paper" });
    expect(link.token).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(link.url).toBe(`${s.server.services.publicUrl}/share/${link.token}`);
    expect(link).toMatchObject({ targetKind: "run", label: "for the paper", expiresAt: null, prefix: link.token.slice(0, 9) });
    const [row] = await s.db.database.rows<{ token_hash: string; created_by: string; run_ids: unknown }>(sql`
      SELECT token_hash, created_by, run_ids FROM share_links WHERE id = ${link.id}`);
    expect(row.token_hash).toBe(hashSecret(link.token));
    expect(row.created_by).toBe(carl);

    const resolved = await (await viaLink(link.token)).shareLinks.resolve();
    expect(resolved).toEqual({
      targetKind: "run", label: "for the paper",
      project: { workspaceSlug: "acme", slug: "iris", name: "iris", key: "IRIS" },
      runs: [{ id: runs[0], key: "IRIS-1", name: "a" }], view: null,
    });

    const [{ workspace_id }] = await s.db.database.rows<{ workspace_id: string }>(sql`SELECT workspace_id FROM projects WHERE id = ${iris}`);
    const [audit] = await s.db.database.rows<{ action: string; actor_id: string; project_id: string; workspace_id: string; after: unknown }>(sql`
      SELECT action, actor_id, project_id, workspace_id, after FROM audit_events WHERE target_id = ${link.id}`);
    expect(audit).toMatchObject({ action: "shareLink.create", actor_id: carl, project_id: iris, workspace_id });
    expect(jsonOf(audit.after)).toMatchObject({ targetKind: "run", runIds: [runs[0]] });
    expect(JSON.stringify(audit)).not.toContain(link.token);
  });

  test("comparisons and table views: validated, resolved in order, view JSON kept as given", async () => {
    const cmp = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "compare", runIds: [runs[2], runs[0]] }, expiresInDays: 3 });
    expect(new Date(cmp.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);
    const resolved = await (await viaLink(cmp.token)).shareLinks.resolve();
    expect(resolved.runs.map((r) => r.name)).toEqual(["c", "a"]);

    const view = { columns: ["sys/name", "params/lr"], sort: [{ field: "metrics/acc", dir: "desc" }], filter: "tag = \"x\"", n: 1.5 };
    const v = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "view", view } });
    expect(await (await viaLink(v.token)).shareLinks.resolve()).toMatchObject({ targetKind: "view", runs: [], view });

    const create = (target: unknown) => p.as(carl).shareLinks.create({ projectId: iris, target: target as never });
    await rejectsWith(create({ kind: "compare", runIds: [runs[0], runs[0]] }), "BAD_REQUEST", /2 different runs/);
    await rejectsWith(create({ kind: "compare", runIds: [runs[0]] }), "BAD_REQUEST", /^target\.runIds:/);
    await rejectsWith(create({ kind: "compare", runIds: Array.from({ length: 101 }, () => runs[0]) }), "BAD_REQUEST", /^target\.runIds:/);
    // A run of another project is "not found", even to someone who can see that project.
    await rejectsWith(create({ kind: "compare", runIds: [runs[0], foreignRun] }), "NOT_FOUND");
    await rejectsWith(p.as(await p.userIdByEmail("owner@example.com")).shareLinks.create({
      projectId: iris, target: { kind: "run", runId: foreignRun } }), "NOT_FOUND");
    await rejectsWith(create({ kind: "view", view: { blob: "x".repeat(17 * 1024) } }), "BAD_REQUEST", /^target\.view:/);
    await rejectsWith(create({ kind: "view", view: null }), "BAD_REQUEST");
    await rejectsWith(create({ kind: "model", id: "x" }), "BAD_REQUEST");
  });

  test("who may create and list: contributors and up; viewers 403; outsiders 404; share actors and anonymous not at all", async () => {
    const target = { kind: "run" as const, runId: runs[1] };
    await rejectsWith(p.as(vic).shareLinks.create({ projectId: iris, target }), "FORBIDDEN");
    await rejectsWith(p.as(out).shareLinks.create({ projectId: iris, target }), "NOT_FOUND");
    await rejectsWith(p.as(vic).shareLinks.list({ projectId: iris }), "FORBIDDEN");
    await rejectsWith(p.as(out).shareLinks.list({ projectId: iris }), "NOT_FOUND");
    await rejectsWith(p.asActor(null).shareLinks.resolve(), "UNAUTHORIZED");
    await rejectsWith(p.as(carl).shareLinks.resolve(), "NOT_FOUND");
    const link = await p.as(carl).shareLinks.create({ projectId: iris, target });
    const viewer = await viaLink(link.token);
    await rejectsWith(viewer.shareLinks.list({ projectId: iris }), "UNAUTHORIZED");
    await rejectsWith(viewer.shareLinks.create({ projectId: iris, target }), "UNAUTHORIZED");
    await rejectsWith(viewer.shareLinks.revoke({ linkId: link.id }), "UNAUTHORIZED");
  });

  test("the list shows creator, target, dates, state and who may revoke", async () => {
    const mine = await p.as(dave).shareLinks.create({ projectId: iris, target: { kind: "compare", runIds: [runs[0], runs[1]] }, label: "dave's" });
    const list = await p.as(dave).shareLinks.list({ projectId: iris });
    const item = list.find((l) => l.id === mine.id)!;
    expect(item).toMatchObject({
      prefix: mine.prefix, label: "dave's", targetKind: "compare", runs: [{ id: runs[0], key: "IRIS-1", name: "a" }, { id: runs[1], key: "IRIS-2", name: "b" }],
      createdBy: { id: dave, email: "dave@example.com" }, expiresAt: null, lastUsedAt: null, revokedAt: null, active: true, canRevoke: true,
    });
    expect(list[0].id).toBe(mine.id);
    expect(list.filter((l) => l.createdBy?.id === carl).every((l) => !l.canRevoke)).toBe(true);
    expect((await p.as(mia).shareLinks.list({ projectId: iris })).every((l) => l.canRevoke)).toBe(true);
    expect(JSON.stringify(list)).not.toContain(mine.token);
    // Opening the link records its use.
    await viaLink(mine.token);
    await expect.poll(async () => (await p.as(dave).shareLinks.list({ projectId: iris })).find((l) => l.id === mine.id)?.lastUsedAt, { timeout: 5000 }).not.toBeNull();
  });

  test("revoke: the creator or a maintainer; the next request through it is 404, and it is audited", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "run", runId: runs[0] } });
    await rejectsWith(p.as(dave).shareLinks.revoke({ linkId: link.id }), "FORBIDDEN");
    await rejectsWith(p.as(out).shareLinks.revoke({ linkId: link.id }), "NOT_FOUND");
    await rejectsWith(p.as(carl).shareLinks.revoke({ linkId: "5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d" }), "NOT_FOUND");
    // The page's request context: the token travels in a header.
    const request = (token: string) => new Request(`${s.url}/api/trpc/shareLinks.resolve`, { headers: { [SHARE_HEADER]: token } });
    expect((await createContext(request(link.token))).actor).toMatchObject({ kind: "share", linkId: link.id, projectId: iris, runIds: [runs[0]] });
    expect(await p.as(carl).shareLinks.revoke({ linkId: link.id })).toEqual({ revoked: true });
    await expect(createContext(request(link.token))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(shareActor(link.token)).rejects.toThrow(/not found/);
    expect(await p.as(mia).shareLinks.revoke({ linkId: link.id })).toEqual({ revoked: false });
    const listed = (await p.as(carl).shareLinks.list({ projectId: iris })).find((l) => l.id === link.id)!;
    expect(listed.revokedAt).not.toBeNull();
    expect(listed.active).toBe(false);

    const other = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "run", runId: runs[1] } });
    expect(await p.as(mia).shareLinks.revoke({ linkId: other.id })).toEqual({ revoked: true });
    const audit = await s.db.database.rows<{ action: string; actor_id: string; project_id: string; after: unknown }>(sql`
      SELECT action, actor_id, project_id, after FROM audit_events WHERE target_id IN (${link.id}, ${other.id}) AND action = 'shareLink.revoke'
      ORDER BY created_at`);
    expect(audit.map((a) => [a.actor_id, a.project_id])).toEqual([[carl, iris], [mia, iris]]);
    expect(jsonOf(audit[0].after)).toMatchObject({ revoked: true });
  });

  test("an expired link answers 404 like an unknown one", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "run", runId: runs[0] }, expiresInDays: 1 });
    expect((await shareActor(link.token)).linkId).toBe(link.id);
    await s.db.database.rows(sql`UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE id = ${link.id}`);
    forgetAccess();
    await expect(shareActor(link.token)).rejects.toThrow(/not found/);
    expect((await p.as(carl).shareLinks.list({ projectId: iris })).find((l) => l.id === link.id)!.active).toBe(false);
  });

  test("REST is API-key only: a share token is not a bearer key", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "run", runId: runs[0] } });
    const res = await s.call("GET", `/api/v1/runs/${runs[0]}`, undefined, { authorization: `Bearer ${link.token}` });
    expect(res.status).toBe(401);
    expect((await s.call("POST", "/api/v1/projects/acme/iris/runs", {}, { authorization: `Bearer ${link.token}` })).status).toBe(401);
  });

  test("a run link's socket joins its run and gets live events, nothing else; revoking closes it", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "run", runId: runs[0] } });
    const c = await open(link.token);
    expect(await join(c, `run:${runs[0]}`)).toEqual({ ok: true });
    expect(await join(c, `run:${runs[1]}`)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await join(c, `project:${iris}`)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await join(c, `project:${secretProject}`)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await join(c, `run:${foreignRun}`)).toMatchObject({ ok: false, error: { code: "not_found" } });

    const seen: string[] = [];
    c.on("points.appended", (e) => seen.push(e.runId));
    c.on("run.created", () => seen.push("created"));
    const appended = new Promise<number[]>((resolve) => c.once("points.appended", (e) => resolve(e.series.loss.points.map((x) => Number(x.value)))));
    await s.call("POST", `/api/v1/runs/${runs[1]}/ops`, { batchId: "other", ops: [{ append: "loss", points: [{ value: 9 }] }] });
    await s.call("POST", `/api/v1/runs/${runs[0]}/ops`, { batchId: "mine", ops: [{ append: "loss", points: [{ value: 1 }, { value: 2 }] }] });
    expect(await appended).toEqual([1, 2]);
    await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "new" });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([runs[0]]);

    const closed = disconnected(c);
    await p.as(carl).shareLinks.revoke({ linkId: link.id });
    expect(await closed).toBe("io server disconnect");
    const again: Client = connect(s.url, { auth: { shareToken: link.token }, transports: ["websocket"], reconnection: false });
    sockets.push(again);
    expect((await new Promise<Error>((resolve) => again.once("connect_error", resolve))).message).toContain("not found");
  });

  test("a comparison's socket joins its runs only; a view's socket joins its project and its runs", async () => {
    const cmp = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "compare", runIds: [runs[0], runs[1]] } });
    const c = await open(cmp.token);
    expect(await join(c, `run:${runs[0]}`)).toEqual({ ok: true });
    expect(await join(c, `run:${runs[1]}`)).toEqual({ ok: true });
    expect((await join(c, `run:${runs[2]}`)).ok).toBe(false);
    expect((await join(c, `project:${iris}`)).ok).toBe(false);

    const v = await p.as(carl).shareLinks.create({ projectId: iris, target: { kind: "view", view: { columns: [] } } });
    const vc = await open(v.token);
    expect(await join(vc, `project:${iris}`)).toEqual({ ok: true });
    expect(await join(vc, `run:${runs[2]}`)).toEqual({ ok: true });
    expect((await join(vc, `project:${secretProject}`)).ok).toBe(false);
    expect((await join(vc, `run:${foreignRun}`)).ok).toBe(false);
    const created = new Promise<string>((resolve) => vc.once("run.created", (e) => resolve(e.run.name)));
    await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "seen by the view" });
    expect(await created).toBe("seen by the view");

    // A maintainer revoking someone else's link closes its viewers too.
    const closed = disconnected(vc);
    await p.as(mia).shareLinks.revoke({ linkId: v.id });
    expect(await closed).toBe("io server disconnect");
    expect(c.connected).toBe(true);
  });
});

describe("share links persist", () => {
  test("a link made before a restart opens after it (it is a database row, nothing in memory)", async () => {
    const dataDir = tempDir("share-restart");
    let database = await openDatabase({ dataDir });
    const project = await ensureProject(database, { email: "ann@example.com", workspace: "acme", project: "iris" });
    const sockets = { disconnectRoom: () => {}, accessChanged: forgetAccess };
    const link = await createShareLink({ database, sockets, publicUrl: "http://cairn.test", actor: { kind: "user", userId: project.userId } } as never, {
      projectId: project.projectId, target: { kind: "view", view: { columns: ["sys/name"] } },
    });
    expect(link.url).toBe(`http://cairn.test/share/${link.token}`);
    await database.close();

    forgetAccess();
    database = await openDatabase({ dataDir });
    try {
      const actor = await authenticateShare(database, link.token);
      const resolved = await resolveShareLink({ database, sockets, publicUrl: "http://cairn.test", actor } as never);
      expect(resolved).toMatchObject({ targetKind: "view", view: { columns: ["sys/name"] }, project: { slug: "iris", workspaceSlug: "acme" } });
    } finally {
      await database.close();
    }
  });
});
