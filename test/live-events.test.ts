import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientEvents, JoinReply, PointsAppendedEvent, ServerEvents } from "@/contracts/events";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";

type Client = Socket<ServerEvents, ClientEvents>;

describe.each(databaseKinds())("live events on $name", (kind) => {
  let s: ApiServer;
  const sockets: Client[] = [];
  beforeAll(async () => { s = await startApiServer(kind); });
  afterAll(async () => {
    sockets.forEach((c) => c.disconnect());
    await s?.close();
  });

  const open = async (apiKey: string): Promise<Client> => {
    const c: Client = connect(s.url, { auth: { apiKey }, transports: ["websocket"], reconnection: false });
    sockets.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once("connect", () => resolve());
      c.once("connect_error", reject);
    });
    return c;
  };
  const join = (c: Client, room: string) => new Promise<JoinReply>((resolve) => c.emit("join", room, resolve));
  const next = <E extends keyof ServerEvents>(c: Client, event: E, where: (p: Parameters<ServerEvents[E]>[0]) => boolean = () => true) =>
    new Promise<Parameters<ServerEvents[E]>[0]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5000);
      const handler = ((p: Parameters<ServerEvents[E]>[0]) => {
        if (!where(p)) return;
        clearTimeout(timer);
        c.off(event, handler as never);
        resolve(p);
      }) as never;
      c.on(event, handler);
    });

  test("a viewer of the project sees runs created, updated, appended to and finished", async () => {
    const c = await open(s.key);
    expect(await join(c, `project:${s.projectId}`)).toEqual({ ok: true });
    const created = next(c, "run.created");
    const r = await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "live", tags: ["t"] });
    const ev = await created;
    expect(ev.run).toMatchObject({ id: r.json.id, key: r.json.key, name: "live", state: "running", tags: ["t"] });

    const runSocket = await open(s.key);
    expect(await join(runSocket, `run:${r.json.id}`)).toEqual({ ok: true });
    const updated = next(c, "run.updated", (e) => "params/lr" in e.fields);
    const appendedFull = next(runSocket, "points.appended");
    const appendedSummary = next(c, "points.appended");
    await s.call("POST", `/api/v1/runs/${r.json.id}/ops`, { batchId: "1", ops: [
      { assign: "params/lr", value: 0.5 }, { addTags: ["new"] }, { append: "loss", points: [{ value: 3 }, { value: 2 }] },
    ] });
    expect(await updated).toMatchObject({ runId: r.json.id, fields: { "params/lr": 0.5 }, tagsAdded: ["new"] });
    const full = await appendedFull;
    expect(full.series.loss.points.map((p) => p.value)).toEqual([3, 2]);
    expect(full.series.loss.summary).toMatchObject({ count: 2, last: 2, min: 2, max: 3 });
    const summary = await appendedSummary;
    expect(summary.series.loss.summary.count).toBe(2);
    expect(summary.series.loss.points).toEqual([]);

    const finished = next(c, "run.finished");
    await s.call("POST", `/api/v1/runs/${r.json.id}/finish`, { state: "succeeded" });
    expect(await finished).toMatchObject({ runId: r.json.id, state: "succeeded" });
  });

  test("events of one run are coalesced to about 10 a second", async () => {
    const id = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id;
    const c = await open(s.key);
    await join(c, `run:${id}`);
    const events: PointsAppendedEvent[] = [];
    c.on("points.appended", (e) => events.push(e));
    const started = Date.now();
    for (let i = 0; i < 60; i++) {
      await s.call("POST", `/api/v1/runs/${id}/ops`, { batchId: `c${i}`, ops: [{ append: "m", points: [{ step: i, value: i }] }] });
    }
    const elapsed = Date.now() - started;
    await new Promise((r) => setTimeout(r, 300));
    const points = events.flatMap((e) => e.series.m.points.map((p) => p.step));
    expect(points).toEqual(Array.from({ length: 60 }, (_, i) => i)); // none lost, in order
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(events.length).toBeLessThan(60);
  });

  test("joining needs read access; other tenants cannot join", async () => {
    const runId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id;
    const other = await s.newKey({ email: "eve@other.example", workspace: "other", project: "p" });
    const c = await open(other.key);
    for (const room of [`project:${s.projectId}`, `run:${runId}`]) {
      const reply = await join(c, room);
      expect(reply).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    expect(await join(c, "everything")).toMatchObject({ ok: false, error: { code: "invalid" } });
    let leaked = false;
    c.on("points.appended", () => (leaked = true));
    c.on("run.updated", () => (leaked = true));
    await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: "x", ops: [{ append: "m", points: [{ value: 1 }] }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(leaked).toBe(false);
  });

  test("a socket without a valid key is refused", async () => {
    await expect(open("cairn_wrong")).rejects.toThrow(/unknown API key/);
    await expect(open("")).rejects.toThrow(/missing API key/);
  });
});
