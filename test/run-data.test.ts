import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientEvents, JoinReply, RunUpdatedEvent, ServerEvents } from "@/contracts/events";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { people, rejectsWith } from "./helpers/people";

type Client = Socket<ServerEvents, ClientEvents>;

describe.each(databaseKinds())("runData on $name", (kind) => {
  let s: ApiServer;
  let p: ReturnType<typeof people>;
  let carl: string; // contributor
  let vic: string; // viewer
  let owner: string;
  let runId: string;
  let otherRunId: string;
  let start: number;
  const N = 3_000;
  const sockets: Client[] = [];

  beforeAll(async () => {
    s = await startApiServer(kind);
    p = people(s.server.services);
    owner = await p.userIdByEmail("owner@example.com");
    carl = await p.person("carl@example.com", "acme", { iris: "contributor" });
    vic = await p.person("vic@example.com", "acme", { iris: "viewer" });
    runId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "first", tags: ["a"] })).json.id;
    otherRunId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "second" })).json.id;
    start = Date.UTC(2025, 0, 1);
    // loss[i] at step i, one second apart; a spike at step 1234 that buckets must keep.
    const points = Array.from({ length: N }, (_, i) => ({ step: i, value: i === 1234 ? 99 : 1 / (i + 1), ts: start + i * 1000 }));
    for (let i = 0; i < N; i += 1000) {
      const r = await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: `b${i}`, ops: [{ append: "train/loss", points: points.slice(i, i + 1000) }] });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: "text", ops: [{ append: "stdout", points: [{ value: "hello" }] }] });
    await s.call("POST", `/api/v1/runs/${otherRunId}/ops`, { batchId: "o", ops: [{ append: "train/loss", points: [{ step: 0, value: 5 }] }] });
  }, 120_000);
  afterAll(async () => {
    sockets.forEach((c) => c.close());
    await s?.close();
  });

  test("a small window returns the raw points with their timestamps", async () => {
    const r = await p.as(vic).runData.series({ runId, path: "train/loss", fromStep: 10, toStep: 19, maxPoints: 100 });
    expect(r.bucketed).toBe(false);
    expect(r.points).toHaveLength(10);
    expect(r.points[0]).toEqual({ step: 10, ts: start + 10_000, y: 1 / 11 });
    expect(r.points.at(-1)).toEqual({ step: 19, ts: start + 19_000, y: 1 / 20 });
  });

  test("a long series comes as min/max/last buckets, each with its last point's time, extremes exact", async () => {
    const r = await p.as(vic).runData.series({ runId, path: "train/loss", maxPoints: 200 });
    expect(r.bucketed).toBe(true);
    expect(r.points.length).toBeLessThanOrEqual(200);
    expect(r.points.length).toBeGreaterThan(50);
    for (const b of r.points) expect(b.ts).toBe(start + b.step * 1000);
    expect(Math.max(...r.points.map((b) => b.max ?? -Infinity))).toBe(99);
    expect(Math.min(...r.points.map((b) => b.min ?? Infinity))).toBe(1 / N);
    expect(r.points.at(-1)!.step).toBe(N - 1);
    expect(r.points.at(-1)!.y).toBe(1 / N);
    // Zooming in reads the window again at full resolution.
    const zoomed = await p.as(vic).runData.series({ runId, path: "train/loss", fromStep: 1200, toStep: 1300, maxPoints: 400 });
    expect(zoomed.bucketed).toBe(false);
    expect(zoomed.points).toHaveLength(101);
    expect(zoomed.points.find((pt) => pt.step === 1234)?.y).toBe(99);
  });

  test("text series and unknown paths are refused; bad windows are 400", async () => {
    await rejectsWith(p.as(vic).runData.series({ runId, path: "stdout" }), "BAD_REQUEST", /text series/);
    await rejectsWith(p.as(vic).runData.series({ runId, path: "nope" }), "NOT_FOUND");
    await rejectsWith(p.as(vic).runData.series({ runId, path: "train/loss", fromStep: 5, toStep: 1 }), "BAD_REQUEST");
    await rejectsWith(p.as(vic).runData.series({ runId, path: "train/loss", maxPoints: 1_000_000 }), "BAD_REQUEST");
  });

  test("a run's share link reads that run's series and no other run's (404)", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId }, label: "" });
    const viaLink = p.asActor(await authenticateShare(s.db.database, link.token));
    const r = await viaLink.runData.series({ runId, path: "train/loss", fromStep: 0, toStep: 4 });
    expect(r.points.map((pt) => pt.y)).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]);
    await rejectsWith(viaLink.runData.series({ runId: otherRunId, path: "train/loss" }), "NOT_FOUND");
    await rejectsWith(viaLink.runData.updateRun({ runId, addTags: ["x"] }), "UNAUTHORIZED");
    // A person outside the project sees nothing either.
    const out = await p.person("out@example.com", "acme");
    await rejectsWith(p.as(out).runData.series({ runId, path: "train/loss" }), "NOT_FOUND");
  });

  test("a viewer cannot edit the header (403) and nothing changes", async () => {
    await rejectsWith(p.as(vic).runData.updateRun({ runId, name: "hijacked", addTags: ["x"] }), "FORBIDDEN");
    const run = await s.call("GET", `/api/v1/runs/${runId}`);
    expect(run.json.name).toBe("first");
    expect(run.json.tags).toEqual(["a"]);
  });

  test("a contributor edits name, notes and tags; viewers of the run and of the project get run.updated", async () => {
    const open = async (room: string) => {
      const c: Client = connect(s.url, { auth: { apiKey: s.key }, transports: ["websocket"], reconnection: false });
      sockets.push(c);
      await new Promise<void>((resolve, reject) => { c.once("connect", () => resolve()); c.once("connect_error", reject); });
      const reply = await new Promise<JoinReply>((resolve) => c.emit("join", room, resolve));
      expect(reply.ok).toBe(true);
      return c;
    };
    const runSocket = await open(`run:${runId}`);
    const projectSocket = await open(`project:${s.projectId}`);
    const next = (c: Client) => new Promise<RunUpdatedEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no run.updated within 5 s")), 5000);
      c.once("run.updated", (e) => { clearTimeout(timer); resolve(e); });
    });
    const seenByRun = next(runSocket);
    const seenByProject = next(projectSocket);
    const notes = "# Findings\n\n- lr **0.01** works\n- see [the paper](https://example.com)";
    const result = await p.as(carl).runData.updateRun({ runId, name: "renamed", description: notes, addTags: ["b", "a"], removeTags: [] });
    expect(result).toMatchObject({ name: "renamed", description: notes, tags: ["a", "b"] });
    for (const e of [await seenByRun, await seenByProject]) {
      expect(e.runId).toBe(runId);
      expect(e.fields).toMatchObject({ "sys/name": "renamed", "sys/description": notes, "sys/tags": "a,b" });
      expect(e.tagsAdded).toEqual(["b"]); // "a" was already there
      expect(e.tagsRemoved).toEqual([]);
    }
    const removal = next(runSocket);
    const after = await p.as(owner).runData.updateRun({ runId, removeTags: ["a", "never-there"] });
    expect(after.tags).toEqual(["b"]);
    const e = await removal;
    expect(e.tagsRemoved).toEqual(["a"]);
    expect(e.fields).toEqual({ "sys/tags": "b" });
    const run = await s.call("GET", `/api/v1/runs/${runId}`);
    expect(run.json).toMatchObject({ name: "renamed", description: notes, tags: ["b"] });
    // The run query language sees the new tags and notes at once.
    const found = await s.call("POST", "/api/v1/projects/acme/iris/runs/query", { query: `tags contains "b" and sys/name = "renamed"` });
    expect(found.json.runs.map((r: { id: string }) => r.id)).toEqual([runId]);
  });

  test("edits are validated: a tag both added and removed, NUL characters, over-long names", async () => {
    await rejectsWith(p.as(carl).runData.updateRun({ runId, addTags: ["x"], removeTags: ["x"] }), "BAD_REQUEST", /both added and removed/);
    await rejectsWith(p.as(carl).runData.updateRun({ runId, addTags: ["bad\u0000tag"] }), "BAD_REQUEST");
    await rejectsWith(p.as(carl).runData.updateRun({ runId, name: "x".repeat(1025) }), "BAD_REQUEST");
    await rejectsWith(p.as(carl).runData.updateRun({ runId, addTags: [""] }), "BAD_REQUEST");
    await rejectsWith(p.as(carl).runData.updateRun({ runId: "00000000-0000-4000-8000-000000000000", name: "x" }), "NOT_FOUND");
  });
});
