import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import type { ClientEvents, JoinReply, PointsAppendedEvent, ServerEvents } from "@/contracts/events";
import { loadEnv } from "@/server/env";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { freePort } from "./helpers/free-port";
import { disconnected, people } from "./helpers/people";

type Client = Socket<ServerEvents, ClientEvents>;

const EXTRA_ORIGIN = "https://ml.example.com:8443";

describe.each(databaseKinds())("socket hardening on $name", (kind) => {
  let s: ApiServer;
  let p: ReturnType<typeof people>;
  let owner: string;
  let cookie: string;
  let otherPort: number;
  const sockets: Client[] = [];

  beforeAll(async () => {
    s = await startApiServer(kind, { CAIRN_ALLOWED_ORIGINS: `${EXTRA_ORIGIN}, http://tools.example.com` });
    p = people(s.server.services);
    owner = await p.userIdByEmail("owner@example.com");
    const token = await encode({ token: { uid: owner, sub: owner }, secret: s.server.services.auth.secret });
    cookie = `next-auth.session-token=${token}`;
    otherPort = await freePort();
  });
  afterAll(async () => {
    sockets.forEach((c) => c.close());
    await s?.close();
  });

  const open = (opts: Partial<ManagerOptions & SocketOptions>): Promise<Client> => {
    const c: Client = connect(s.url, { transports: ["websocket"], reconnection: false, ...opts });
    sockets.push(c);
    return new Promise<Client>((resolve, reject) => {
      c.once("connect", () => resolve(c));
      c.once("connect_error", reject);
    });
  };
  const emit = (c: Client, verb: "join" | "leave", room: string) => new Promise<JoinReply>((resolve) => c.emit(verb, room, resolve));
  const newRun = async () => (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id as string;
  const append = (runId: string, batchId: string) =>
    s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId, ops: [{ append: "loss", points: [{ value: 1 }] }] });
  const nextPoints = (c: Client) => new Promise<PointsAppendedEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no points.appended within 5 s")), 5000);
    c.once("points.appended", (e) => { clearTimeout(timer); resolve(e); });
  });
  /** Appends to the run and returns once a watcher that stayed has seen it: anything else would have arrived by then. */
  const appendSeenBy = async (watcher: Client, runId: string, batchId: string) => {
    const seen = nextPoints(watcher);
    expect((await append(runId, batchId)).status).toBe(200);
    await seen;
  };

  describe("revocation reaches sockets by credential, not by a room the client could leave", () => {
    test("a key socket that asks to leave its key room is still disconnected on revocation and gets no further points", async () => {
      const key = await p.as(owner).keys.create({ name: "leaver", readOnly: false });
      const runId = await newRun();
      const c = await open({ auth: { apiKey: key.secret } });
      const watcher = await open({ auth: { apiKey: s.key } });
      expect(await emit(c, "join", `run:${runId}`)).toEqual({ ok: true });
      expect(await emit(watcher, "join", `run:${runId}`)).toEqual({ ok: true });
      expect(await emit(c, "leave", `key:${key.id}`)).toMatchObject({ ok: false, error: { code: "invalid" } });
      await appendSeenBy(watcher, runId, "before");

      const after: unknown[] = [];
      const closed = disconnected(c);
      await p.as(owner).keys.revoke({ keyId: key.id });
      expect(await closed).toBe("io server disconnect");
      c.on("points.appended", (e) => after.push(e));
      await appendSeenBy(watcher, runId, "after");
      expect(after).toEqual([]);
    });

    test("a share-link socket that asks to leave its link room is still disconnected on revocation", async () => {
      const runId = await newRun();
      const link = await p.as(owner).shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId }, label: "" });
      const c = await open({ auth: { shareToken: link.token } });
      const watcher = await open({ auth: { apiKey: s.key } });
      expect(await emit(c, "join", `run:${runId}`)).toEqual({ ok: true });
      expect(await emit(watcher, "join", `run:${runId}`)).toEqual({ ok: true });
      expect(await emit(c, "leave", `share:${link.id}`)).toMatchObject({ ok: false, error: { code: "invalid" } });

      const after: unknown[] = [];
      const closed = disconnected(c);
      await p.as(owner).shareLinks.revoke({ linkId: link.id });
      expect(await closed).toBe("io server disconnect");
      c.on("points.appended", (e) => after.push(e));
      await appendSeenBy(watcher, runId, "share-after");
      expect(after).toEqual([]);
    });

    test("removing a person from the workspace closes the sockets of their keys too", async () => {
      const bea = await p.person("bea@example.com", "acme", { iris: "viewer" });
      const key = await p.as(bea).keys.create({ name: "bea", readOnly: true });
      const c = await open({ auth: { apiKey: key.secret } });
      expect(await emit(c, "join", `project:${s.projectId}`)).toEqual({ ok: true });
      const [{ id: workspaceId }] = await s.db.database.rows<{ id: string }>(sql`SELECT id FROM workspaces WHERE slug = 'acme'`);
      const closed = disconnected(c);
      await p.as(owner).workspaces.removeMember({ workspaceId, userId: bea });
      expect(await closed).toBe("io server disconnect");
    });
  });

  describe("leave", () => {
    test("leaving an internal room is refused; leaving a joined run room stops its events", async () => {
      const runId = await newRun();
      const key = await p.as(owner).keys.create({ name: "rooms", readOnly: false });
      const c = await open({ auth: { apiKey: key.secret } });
      const watcher = await open({ auth: { apiKey: s.key } });
      expect(await emit(c, "join", `run:${runId}`)).toEqual({ ok: true });
      expect(await emit(watcher, "join", `run:${runId}`)).toEqual({ ok: true });
      for (const room of [`key:${key.id}`, `user:${owner}`, `share:${key.id}`, c.id!, "everything", ""]) {
        expect(await emit(c, "leave", room)).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringMatching(/project:<id>/) } });
      }
      expect(await emit(c, "leave", `run:${runId.toUpperCase()}`)).toEqual({ ok: true });
      const after: unknown[] = [];
      c.on("points.appended", (e) => after.push(e));
      await appendSeenBy(watcher, runId, "left");
      expect(after).toEqual([]);
      expect(c.connected).toBe(true);
    });
  });

  describe("every join re-checks the credential in the database", () => {
    // Revoked behind the server's back (no verb, so no disconnect and no cache cleared): the
    // socket is still open and the handshake caches still say yes.
    test("a key revoked while its socket stayed open cannot join, and the socket is closed", async () => {
      const key = await p.as(owner).keys.create({ name: "stale", readOnly: false });
      const runId = await newRun();
      const c = await open({ auth: { apiKey: key.secret } });
      expect(await emit(c, "join", `project:${s.projectId}`)).toEqual({ ok: true });
      await s.db.database.rows(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${key.id}`);
      const closed = disconnected(c);
      expect(await emit(c, "join", `run:${runId}`)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
      expect(await closed).toBe("io server disconnect");
    });

    test("a share link revoked while its socket stayed open cannot join, and the socket is closed", async () => {
      const runId = await newRun();
      const link = await p.as(owner).shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId }, label: "" });
      const c = await open({ auth: { shareToken: link.token } });
      await s.db.database.rows(sql`UPDATE share_links SET revoked_at = now() WHERE id = ${link.id}`);
      const closed = disconnected(c);
      expect(await emit(c, "join", `run:${runId}`)).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(await closed).toBe("io server disconnect");
    });

    test("a disabled person's session socket cannot join", async () => {
      const dora = await p.person("dora@example.com", "acme", { iris: "viewer" });
      const token = await encode({ token: { uid: dora, sub: dora }, secret: s.server.services.auth.secret });
      const c = await open({ extraHeaders: { cookie: `next-auth.session-token=${token}` } });
      await s.db.database.rows(sql`UPDATE users SET disabled_at = now() WHERE id = ${dora}`);
      const closed = disconnected(c);
      expect(await emit(c, "join", `project:${s.projectId}`)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
      expect(await closed).toBe("io server disconnect");
    });
  });

  describe("expiry while open", () => {
    test("a share link's socket is closed when the link expires", async () => {
      const runId = await newRun();
      const link = await p.as(owner).shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId }, label: "", expiresInDays: 1 });
      await s.db.database.rows(sql`UPDATE share_links SET expires_at = now() + interval '1 second' WHERE id = ${link.id}`);
      const c = await open({ auth: { shareToken: link.token } });
      expect(await emit(c, "join", `run:${runId}`)).toEqual({ ok: true });
      expect(await disconnected(c)).toBe("io server disconnect");
      await expect(open({ auth: { shareToken: link.token } })).rejects.toThrow(/share link not found/);
    });

    test("an API key's socket is closed when the key expires", async () => {
      const key = await p.as(owner).keys.create({ name: "short", readOnly: false, expiresInDays: 1 });
      await s.db.database.rows(sql`UPDATE api_keys SET expires_at = now() + interval '1 second' WHERE id = ${key.id}`);
      const c = await open({ auth: { apiKey: key.secret } });
      expect(await disconnected(c)).toBe("io server disconnect");
    });
  });

  describe("session sockets only from allowed origins", () => {
    const port = () => new URL(s.url).port;
    const withCookie = (headers: Record<string, string>, transports: ("websocket" | "polling")[] = ["websocket"]) =>
      open({ extraHeaders: { cookie, ...headers }, transports });

    test("a page on another port of the same host is refused, over websocket and polling", async () => {
      const foreign = `http://127.0.0.1:${otherPort}`;
      await expect(withCookie({ origin: foreign })).rejects.toThrow(/not allowed/);
      await expect(withCookie({ origin: foreign }, ["polling"])).rejects.toThrow(/not allowed/);
      await expect(withCookie({ origin: `http://localhost:${otherPort}` })).rejects.toThrow(/not allowed/);
      await expect(withCookie({ origin: "null" })).rejects.toThrow(/not allowed/);
      await expect(withCookie({ origin: `https://localhost:${port()}` })).rejects.toThrow(/not allowed/);
    });

    test("a browser request marked cross-site or same-site without an Origin is refused", async () => {
      await expect(withCookie({ "sec-fetch-site": "cross-site" }, ["polling"])).rejects.toThrow(/Cairn's own pages/);
      await expect(withCookie({ "sec-fetch-site": "same-site" })).rejects.toThrow(/Cairn's own pages/);
    });

    test("the public URL's origin, this machine's loopback names on the same port and CAIRN_ALLOWED_ORIGINS are accepted", async () => {
      expect(s.server.services.publicUrl).toBe(`http://localhost:${port()}`);
      for (const origin of [`http://localhost:${port()}`, `http://127.0.0.1:${port()}`, EXTRA_ORIGIN, "http://tools.example.com"]) {
        const c = await withCookie({ origin, "sec-fetch-site": origin.includes("example") ? "cross-site" : "same-origin" });
        expect(await emit(c, "join", `project:${s.projectId}`)).toEqual({ ok: true });
      }
      const polling = await withCookie({ origin: `http://localhost:${port()}` }, ["polling"]);
      expect(await emit(polling, "join", `project:${s.projectId}`)).toEqual({ ok: true });
    });

    test("a same-origin request without Origin, and a script holding the cookie, are accepted", async () => {
      const sameOrigin = await withCookie({ "sec-fetch-site": "same-origin" }, ["polling"]);
      expect(await emit(sameOrigin, "join", `project:${s.projectId}`)).toEqual({ ok: true });
      const script = await withCookie({});
      expect(await emit(script, "join", `project:${s.projectId}`)).toEqual({ ok: true });
    });

    test("API-key and share-token sockets do not depend on the origin", async () => {
      const foreign = { origin: `http://127.0.0.1:${otherPort}`, "sec-fetch-site": "cross-site" };
      const c = await open({ auth: { apiKey: s.key }, extraHeaders: { ...foreign, cookie } });
      expect(await emit(c, "join", `project:${s.projectId}`)).toEqual({ ok: true });
    });
  });
});

describe("CAIRN_ALLOWED_ORIGINS", () => {
  test("is a comma-separated list of origins, normalized; anything else stops the start with its name", () => {
    expect(loadEnv({ CAIRN_ALLOWED_ORIGINS: "https://A.example.com/, http://b.example.com:8080" }).allowedOrigins)
      .toEqual(["https://a.example.com", "http://b.example.com:8080"]);
    expect(loadEnv({}).allowedOrigins).toEqual([]);
    for (const bad of ["https://a.example.com/app", "ftp://a.example.com", "a.example.com", "https://a.example.com?x=1"]) {
      expect(() => loadEnv({ CAIRN_ALLOWED_ORIGINS: bad })).toThrow(/CAIRN_ALLOWED_ORIGINS: .* is not an origin/);
    }
  });
});
