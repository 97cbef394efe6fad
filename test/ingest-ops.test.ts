import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { sql } from "drizzle-orm";
import { pruneBatches } from "@/server/services/ingest/prune-batches";

describe.each(databaseKinds())("ops on $name", (kind) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(kind); });
  afterAll(async () => {
    if (kind.name === "postgres") {
      // Every writer transaction ended: none left open on a pooled connection.
      const open = await s.db.database.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      expect(open[0].n).toBe(0);
    }
    await s?.close();
  });

  const newRun = async (body: object = {}) => {
    const r = await s.call("POST", "/api/v1/projects/acme/iris/runs", body);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  const ops = (runId: string, batchId: string, list: unknown[]) => s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId, ops: list });
  const run = async (id: string) => (await s.call("GET", `/api/v1/runs/${id}`)).json;

  test("create gives IRIS-n keys in order, a url, fields and tags", async () => {
    const r = await s.call("POST", "/api/v1/projects/acme/iris/runs", {
      name: "first", description: "d", tags: ["baseline", "v1"], fields: { "params/lr": 0.001, "params/opt": "adam", "params/amp": true },
    });
    expect(r.status).toBe(201);
    expect(r.json.key).toMatch(/^IRIS-\d+$/);
    expect(r.json.url).toContain(`/acme/iris/runs/${r.json.key}`);
    const next = await s.call("POST", "/api/v1/projects/acme/iris/runs", {});
    expect(Number(next.json.key.split("-")[1])).toBe(Number(r.json.key.split("-")[1]) + 1);
    const view = await run(r.json.id);
    expect(view).toMatchObject({ name: "first", description: "d", state: "running", tags: ["baseline", "v1"] });
    expect(view.fields).toMatchObject({ "params/lr": 0.001, "params/opt": "adam", "params/amp": true, "sys/key": r.json.key, "sys/state": "running" });
  });

  test("customId resumes the same run and sets it running again", async () => {
    const a = await s.call("POST", "/api/v1/projects/acme/iris/runs", { customId: "job-42" });
    expect(a.status).toBe(201);
    expect((await s.call("POST", `/api/v1/runs/${a.json.id}/finish`, { state: "failed" })).status).toBe(200);
    expect((await run(a.json.id)).state).toBe("failed");
    const b = await s.call("POST", "/api/v1/projects/acme/iris/runs", { customId: "job-42" });
    expect(b.status).toBe(200);
    expect(b.json).toEqual(a.json);
    expect((await run(a.json.id)).state).toBe("running");
  });

  test("every op type", async () => {
    const id = await newRun();
    const r = await ops(id, "b1", [
      { assign: "params/lr", value: 0.1 },
      { assign: "params/name", value: "resnet" },
      { assign: "params/flag", value: false },
      { assign: "params/when", value: "2026-01-02T03:04:05.000Z", type: "datetime" },
      { append: "train/loss", points: [{ step: 1, value: 2.5, ts: 1000 }, { step: 2, value: 1.5 }, { value: "NaN" }, { value: "Infinity" }, { value: "-Infinity" }] },
      { append: "stdout", points: [{ value: "epoch 1" }, { value: "epoch 2" }] },
      { addTags: ["a", "b", "c"] },
      { removeTags: ["b"] },
    ]);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toEqual({ applied: 8 });
    const view = await run(id);
    expect(view.fields).toMatchObject({ "params/lr": 0.1, "params/name": "resnet", "params/flag": false, "params/when": "2026-01-02T03:04:05.000Z" });
    expect(view.tags).toEqual(["a", "c"]);
    expect(view.series["train/loss"]).toEqual({ type: "floatSeries", count: 5, firstStep: 1, lastStep: 5, last: "-Infinity", min: "-Infinity", max: "Infinity" });
    expect(view.series.stdout).toMatchObject({ type: "stringSeries", count: 2, firstStep: 0, lastStep: 1, last: "epoch 2" });
    const pts = await s.call("GET", `/api/v1/runs/${id}/series/train/loss`);
    expect(pts.json.points.map((p: { value: unknown }) => p.value)).toEqual([2.5, 1.5, "NaN", "Infinity", "-Infinity"]);
    expect(pts.json.points[0].ts).toBe(1000);
    const text = await s.call("GET", `/api/v1/runs/${id}/series/stdout`);
    expect(text.json.points.map((p: { value: unknown }) => p.value)).toEqual(["epoch 1", "epoch 2"]);

    // Assigning again overwrites; null clears an atom.
    expect((await ops(id, "b2", [{ assign: "params/lr", value: 0.2 }, { assign: "params/name", value: null }])).status).toBe(200);
    const after = await run(id);
    expect(after.fields["params/lr"]).toBe(0.2);
    expect(after.fields).not.toHaveProperty("params/name");
    // A float series keeps NaN as a missing value when computing min/max.
    const nan = await newRun();
    await ops(nan, "n", [{ append: "m", type: "floatSeries", points: [{ value: "NaN" }, { value: 3 }, { value: -1 }, { value: "NaN" }] }]);
    expect((await run(nan)).series.m).toMatchObject({ count: 4, min: -1, max: 3, last: "NaN" });
  });

  test("steps default to last step + 1 and must increase", async () => {
    const id = await newRun();
    await ops(id, "s1", [{ append: "acc", points: [{ value: 1 }, { value: 2 }] }]);
    await ops(id, "s2", [{ append: "acc", points: [{ step: 10, value: 3 }, { value: 4 }] }]);
    const pts = (await s.call("GET", `/api/v1/runs/${id}/series/acc`)).json.points;
    expect(pts.map((p: { step: number }) => p.step)).toEqual([0, 1, 10, 11]);
    const bad = await ops(id, "s3", [{ append: "acc", points: [{ step: 11, value: 5 }] }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("ops[0].points[0].step");
    expect(bad.json.error.message).toContain("not greater than");
  });

  test("a batch is atomic: one bad op and nothing is written", async () => {
    const id = await newRun();
    await ops(id, "t0", [{ assign: "x", value: 1 }]);
    const r = await ops(id, "t1", [
      { assign: "y", value: 1 },
      { append: "series", points: [{ value: 1 }] },
      { addTags: ["never"] },
      { append: "x", points: [{ value: 2 }] },
    ]);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/ops\[3\]/);
    const view = await run(id);
    expect(view.fields).not.toHaveProperty("y");
    expect(view.series).toEqual({});
    expect(view.tags).toEqual([]);
    // The batch id was not consumed: a corrected batch with the same id applies.
    const fixed = await ops(id, "t1", [{ assign: "y", value: 1 }]);
    expect(fixed.json).toEqual({ applied: 1 });
  });

  test("the same batchId is applied once", async () => {
    const id = await newRun();
    const body = [{ append: "loss", points: [{ value: 1 }, { value: 2 }] }, { assign: "p", value: 1 }];
    expect((await ops(id, "dup", body)).json).toEqual({ applied: 2 });
    expect((await ops(id, "dup", body)).json).toEqual({ applied: 0, duplicate: true });
    // Concurrent retries of one batch: exactly one applies.
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => ops(id, "race", [{ append: "loss", points: [{ value: 9 }] }])));
    expect(results.filter((r) => r.json.applied === 1)).toHaveLength(1);
    expect(results.filter((r) => r.json.duplicate)).toHaveLength(4);
    expect((await run(id)).series.loss.count).toBe(3);
    // Another run may use the same batch id.
    const other = await newRun();
    expect((await ops(other, "dup", body)).json).toEqual({ applied: 2 });
  });

  test("concurrent batches of many runs are grouped and all land", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => newRun()));
    const sends = [];
    for (let i = 0; i < 25; i++) {
      // No explicit steps: concurrent requests of one run may arrive in any order.
      for (const id of ids) sends.push(ops(id, `g${i}`, [{ append: "m", points: [{ value: i }] }, { assign: `a/${i % 3}`, value: i }]));
    }
    const results = await Promise.all(sends);
    expect(results.map((r) => r.status)).toEqual(sends.map(() => 200));
    for (const id of ids) {
      const view = await run(id);
      expect(view.series.m).toMatchObject({ count: 25, firstStep: 0, lastStep: 24, min: 0, max: 24 });
      const values = (await s.call("GET", `/api/v1/runs/${id}/series/m`)).json.points.map((p: { value: number }) => p.value);
      expect(values.sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    }
  });

  test("a failing batch in a group leaves the others applied", async () => {
    const id = await newRun();
    await ops(id, "base", [{ assign: "typed", value: 1 }]);
    const results = await Promise.all([
      ops(id, "ok1", [{ append: "fine", points: [{ step: 1, value: 1 }] }]),
      ops(id, "bad", [{ append: "typed", points: [{ value: 1 }] }]),
      ops(id, "ok2", [{ assign: "other", value: "x" }]),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 400, 200]);
    const view = await run(id);
    expect(view.series.fine.count).toBe(1);
    expect(view.fields.other).toBe("x");
  });

  test("awkward text survives the bulk path unchanged", async () => {
    const id = await newRun();
    const texts = ["'); DROP TABLE runs; --", 'quote " and \\ backslash', "{a,b}", "NULL", "", "emoji 🚀 and ünïcödé", "line\nbreak\ttab"];
    const r = await ops(id, "w", [
      ...texts.map((value, i) => ({ assign: `t/${i}`, value })),
      { append: "log", points: texts.filter((t) => t !== "").map((value) => ({ value })) },
      { addTags: texts.filter((t) => t !== "") },
    ]);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const view = await run(id);
    texts.forEach((t, i) => expect(view.fields[`t/${i}`]).toBe(t));
    expect([...view.tags].sort()).toEqual(texts.filter((t) => t !== "").sort());
    const log = (await s.call("GET", `/api/v1/runs/${id}/series/log`)).json.points.map((p: { value: string }) => p.value);
    expect(log).toEqual(texts.filter((t) => t !== ""));
  });

  test("batch ids of long-finished runs are pruned, others kept", async () => {
    const old = await newRun();
    const live = await newRun();
    await ops(old, "p1", [{ assign: "a", value: 1 }]);
    await ops(live, "p1", [{ assign: "a", value: 1 }]);
    await s.call("POST", `/api/v1/runs/${old}/finish`, { state: "succeeded" });
    await s.db.database.rows(sql`UPDATE runs SET finished_at = now() - interval '2 days' WHERE id = ${old}`);
    expect(await pruneBatches(s.db.database)).toBe(1);
    // A retry of the kept batch (same content) is still recognised.
    expect((await ops(live, "p1", [{ assign: "a", value: 1 }])).json).toEqual({ applied: 0, duplicate: true });
  });

  test("finish sets the final state", async () => {
    const id = await newRun();
    const r = await s.call("POST", `/api/v1/runs/${id}/finish`, { state: "succeeded" });
    expect(r.json).toEqual({ state: "succeeded" });
    const view = await run(id);
    expect(view.state).toBe("succeeded");
    expect(view.fields["sys/finished_time"]).toBeTruthy();
    const bad = await s.call("POST", `/api/v1/runs/${id}/finish`, { state: "done" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("state");
  });
});
