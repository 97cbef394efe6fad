import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DashboardLayout } from "@/contracts/dashboards";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { readSeries } from "@/server/services/series/read-series";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { people, rejectsWith } from "./helpers/people";

describe.each(databaseKinds())("compare and dashboards on $name", (kind) => {
  let s: ApiServer;
  let p: ReturnType<typeof people>;
  let carl: string; // contributor
  let vic: string; // viewer
  let out: string; // workspace member without a role in iris
  const run: Record<"a" | "b" | "c", { id: string; key: string }> = {} as never;
  let foreign: string;
  const lossA: number[] = [];

  const post = async (path: string, body: unknown, key = s.key) => {
    const res = await s.call("POST", path, body, { authorization: `Bearer ${key}` });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };

  beforeAll(async () => {
    s = await startApiServer(kind);
    p = people(s.server.services);
    const sec = await s.newKey({ email: "owner@example.com", workspace: "acme", project: "secret" });
    carl = await p.person("carl@example.com", "acme", { iris: "contributor" });
    vic = await p.person("vic@example.com", "acme", { iris: "viewer" });
    out = await p.person("out@example.com", "acme");
    run.a = await post("/api/v1/projects/acme/iris/runs", { name: "a", fields: { "params/lr": 0.1, "params/batch": 32, "params/opt": "adam" } });
    run.b = await post("/api/v1/projects/acme/iris/runs", { name: "b", fields: { "params/lr": 0.01, "params/batch": 32, "params/opt": "sgd" } });
    run.c = await post("/api/v1/projects/acme/iris/runs", { name: "c", fields: { "params/lr": 0.001 } });
    // A: 3,000 points of a noisy loss (forces buckets) and a text series; B: a short loss and val/acc.
    for (let i = 0; i < 3000; i++) lossA.push(Math.round((1 / (1 + i / 100) + ((i * 7919) % 13) / 100) * 1e6) / 1e6);
    for (let from = 0; from < 3000; from += 1000) {
      await post(`/api/v1/runs/${run.a.id}/ops`, {
        batchId: `a${from}`,
        ops: [{ append: "train/loss", points: lossA.slice(from, from + 1000).map((value, i) => ({ step: from + i, value })) }],
      });
    }
    await post(`/api/v1/runs/${run.a.id}/ops`, { batchId: "txt", ops: [{ append: "stdout", points: [{ step: 0, value: "hello" }] }] });
    await post(`/api/v1/runs/${run.b.id}/ops`, {
      batchId: "b", ops: [
        { append: "train/loss", points: [{ step: 0, value: 2 }, { step: 10, value: 1.5 }, { step: 20, value: 0.5 }] },
        { append: "val/acc", points: [{ step: 20, value: 0.9 }] },
      ],
    });
    await post(`/api/v1/runs/${run.c.id}/ops`, { batchId: "c", ops: [{ append: "train/loss", points: [{ step: 0, value: 3 }] }] });
    foreign = (await post("/api/v1/projects/acme/secret/runs", { name: "hidden" }, sec.key)).id;
    // Ingestion is asynchronous to the response only in its live events; the data is committed.
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  describe("compare.runs", () => {
    test("a viewer reads the runs by key or id, in the order asked, duplicates dropped", async () => {
      const r = await p.as(vic).compare.runs({ workspace: "acme", project: "iris", runs: [run.b.key, run.a.id, run.b.id] });
      expect(r.runs.map((x) => x.key)).toEqual([run.b.key, run.a.key]);
      expect(r.project.id).toBe(s.projectId);
      expect(r.runs[1].fields["params/opt"]).toBe("adam");
      expect(r.runs[1].series["train/loss"]).toMatchObject({ type: "floatSeries", count: 3000 });
    });
    test("outsiders, runs of another project and unknown runs are 404", async () => {
      await rejectsWith(p.as(out).compare.runs({ workspace: "acme", project: "iris", runs: [run.a.id, run.b.id] }), "NOT_FOUND");
      await rejectsWith(p.as(vic).compare.runs({ workspace: "acme", project: "iris", runs: [run.a.id, foreign] }), "NOT_FOUND");
      await rejectsWith(p.as(vic).compare.runs({ workspace: "acme", project: "iris", runs: [run.a.key, "IRIS-999"] }), "NOT_FOUND");
      await rejectsWith(p.as(vic).compare.runs({ workspace: "acme", project: "iris", runs: [] }), "BAD_REQUEST", /runs: name at least one run/);
    });
  });

  describe("compare.series", () => {
    test("small series come back as their points; missing and text series as null", async () => {
      const r = await p.as(vic).compare.series({ runIds: [run.b.id, run.a.id], paths: ["train/loss", "val/acc", "stdout"], maxPoints: 100 });
      const get = (runId: string, path: string) => r.series.find((x) => x.runId === runId && x.path === path)!;
      expect(get(run.b.id, "train/loss")).toEqual({ runId: run.b.id, path: "train/loss", bucketed: false, points: [{ x: 0, y: 2 }, { x: 10, y: 1.5 }, { x: 20, y: 0.5 }] });
      expect(get(run.b.id, "val/acc").points).toEqual([{ x: 20, y: 0.9 }]);
      expect(get(run.a.id, "val/acc").points).toBeNull();
      expect(get(run.a.id, "stdout").points).toBeNull();
      expect(get(run.b.id, "stdout").points).toBeNull();
    });
    test("long series come back as at most maxPoints buckets with exact extremes, same as readSeries", async () => {
      const r = await p.as(vic).compare.series({ runIds: [run.a.id], paths: ["train/loss"], maxPoints: 100 });
      const line = r.series[0];
      expect(line.bucketed).toBe(true);
      expect(line.points!.length).toBeLessThanOrEqual(100);
      expect(line.points!.length).toBeGreaterThan(10);
      expect(Math.min(...line.points!.map((q) => q.min!))).toBe(Math.min(...lossA));
      expect(Math.max(...line.points!.map((q) => q.max!))).toBe(Math.max(...lossA));
      expect(line.points![line.points!.length - 1]).toMatchObject({ x: 2999, y: lossA[2999] });
      const direct = await readSeries({ ...s.server.services, actor: { kind: "user", userId: vic } }, { runId: run.a.id, path: "train/loss", query: { maxPoints: 100 } });
      if (!("buckets" in direct)) throw new Error("expected buckets");
      expect(line.points).toEqual(direct.buckets.map((b) => ({ x: b.toStep, y: Number(b.last), min: Number(b.min), max: Number(b.max) })));
      // Every bucket's extremes are those of the raw points it covers.
      let from = 0;
      for (const b of direct.buckets) {
        const slice = lossA.slice(from, b.toStep + 1);
        expect(Number(b.min)).toBe(Math.min(...slice));
        expect(Number(b.max)).toBe(Math.max(...slice));
        from = b.toStep + 1;
      }
    });
    test("a zoomed window is read at full resolution", async () => {
      const r = await p.as(vic).compare.series({ runIds: [run.a.id, run.b.id], paths: ["train/loss"], maxPoints: 100, fromStep: 1000, toStep: 1049 });
      const a = r.series.find((x) => x.runId === run.a.id)!;
      expect(a.bucketed).toBe(false);
      expect(a.points).toEqual(lossA.slice(1000, 1050).map((y, i) => ({ x: 1000 + i, y })));
      expect(r.series.find((x) => x.runId === run.b.id)!.points).toEqual([]);
    });
    test("every run is authorized: another project's run or an outsider is 404", async () => {
      await rejectsWith(p.as(vic).compare.series({ runIds: [run.a.id, foreign], paths: ["train/loss"] }), "NOT_FOUND");
      await rejectsWith(p.as(out).compare.series({ runIds: [run.a.id], paths: ["train/loss"] }), "NOT_FOUND");
      await rejectsWith(p.as(vic).compare.series({ runIds: [run.a.id], paths: [] }), "BAD_REQUEST", /paths/);
    });
  });

  test("a comparison share link reads only its runs", async () => {
    const link = await p.as(carl).shareLinks.create({ projectId: s.projectId, target: { kind: "compare", runIds: [run.a.id, run.b.id] } });
    const viaLink = p.asActor(await authenticateShare(s.db.database, link.token));
    const r = await viaLink.compare.runs({ workspace: "acme", project: "iris", runs: [run.a.id, run.b.id] });
    expect(r.runs.map((x) => x.id)).toEqual([run.a.id, run.b.id]);
    const series = await viaLink.compare.series({ runIds: [run.a.id, run.b.id], paths: ["train/loss"] });
    expect(series.series.every((x) => x.points && x.points.length > 0)).toBe(true);
    await rejectsWith(viaLink.compare.runs({ workspace: "acme", project: "iris", runs: [run.a.id, run.c.id] }), "NOT_FOUND");
    await rejectsWith(viaLink.compare.runs({ workspace: "acme", project: "iris", runs: [run.c.key, run.a.key] }), "NOT_FOUND");
    await rejectsWith(viaLink.compare.series({ runIds: [run.c.id], paths: ["train/loss"] }), "NOT_FOUND");
    await rejectsWith(viaLink.compare.series({ runIds: [foreign], paths: ["train/loss"] }), "NOT_FOUND");
    // Dashboards are for the project's people, not for links.
    await rejectsWith(viaLink.dashboards.list({ projectId: s.projectId }), "UNAUTHORIZED");
  });

  describe("dashboards", () => {
    const layout: DashboardLayout = {
      version: 1,
      widgets: [
        { id: "loss", kind: "metric", title: "", width: 2, height: 1, metric: "train/loss", logScale: false, runs: { query: "", sort: { column: "params/lr", direction: "desc" }, limit: 2 } },
        { id: "sc", kind: "scatter", title: "lr vs loss", width: 2, height: 1, x: "params/lr", y: "last(train/loss)", runs: { query: "params/batch = 32", sort: { column: "sys/creation_time", direction: "desc" }, limit: 10 } },
      ],
    };

    test("contributors create and save, viewers read but cannot save (403), outsiders see nothing (404)", async () => {
      const d = await p.as(carl).dashboards.create({ projectId: s.projectId, name: "Overview" });
      expect(d).toMatchObject({ name: "Overview", layout: { version: 1, widgets: [] }, canEdit: true });
      const saved = await p.as(carl).dashboards.update({ dashboardId: d.id, layout, baseUpdatedAt: d.updatedAt });
      expect(saved.layout).toEqual(layout);
      const seen = await p.as(vic).dashboards.get({ dashboardId: d.id });
      expect(seen.layout).toEqual(layout);
      expect(seen.canEdit).toBe(false);
      expect((await p.as(vic).dashboards.list({ projectId: s.projectId })).find((x) => x.id === d.id)).toMatchObject({ name: "Overview", widgets: 2 });
      await rejectsWith(p.as(vic).dashboards.update({ dashboardId: d.id, name: "Mine" }), "FORBIDDEN");
      await rejectsWith(p.as(vic).dashboards.create({ projectId: s.projectId, name: "Mine" }), "FORBIDDEN");
      await rejectsWith(p.as(vic).dashboards.delete({ dashboardId: d.id }), "FORBIDDEN");
      await rejectsWith(p.as(out).dashboards.get({ dashboardId: d.id }), "NOT_FOUND");
      await rejectsWith(p.as(out).dashboards.list({ projectId: s.projectId }), "NOT_FOUND");
      await rejectsWith(p.as(out).dashboards.update({ dashboardId: d.id, name: "x" }), "NOT_FOUND");
      await rejectsWith(p.as(carl).dashboards.create({ projectId: s.projectId, name: "Overview" }), "CONFLICT", /already exists/);
      // A save from a stale copy does not silently replace a newer one.
      await rejectsWith(p.as(carl).dashboards.update({ dashboardId: d.id, name: "Stale", baseUpdatedAt: d.updatedAt }), "CONFLICT", /someone else saved/);
      const renamed = await p.as(carl).dashboards.update({ dashboardId: d.id, name: "Renamed", baseUpdatedAt: saved.updatedAt });
      expect(renamed).toMatchObject({ name: "Renamed", layout });
      await p.as(carl).dashboards.delete({ dashboardId: d.id });
      await rejectsWith(p.as(vic).dashboards.get({ dashboardId: d.id }), "NOT_FOUND");
    });

    test("layouts are validated with errors that name the widget and field", async () => {
      const d = await p.as(carl).dashboards.create({ projectId: s.projectId, name: "Checks" });
      const widget = layout.widgets[1];
      const bad = async (w: unknown, message: RegExp) =>
        rejectsWith(p.as(carl).dashboards.update({ dashboardId: d.id, layout: { version: 1, widgets: [w] } as never }), "BAD_REQUEST", message);
      await bad({ ...widget, width: 5 }, /^layout\.widgets\.0\.width: must be 1 to 4 columns$/);
      await bad({ ...widget, height: 0 }, /^layout\.widgets\.0\.height: must be 1 to 3 rows$/);
      await bad({ ...widget, kind: "pie" }, /layout\.widgets\.0.*must be one of metric, scatter, parallel, table/);
      await bad({ ...widget, x: "last(train/loss" }, /^layout\.widgets\.0\.x: .* at position \d+$/);
      await bad({ ...widget, runs: { ...widget.runs, query: "params/lr >" } }, /^layout\.widgets\.0\.runs\.query: .*at position 11$/);
      await bad({ ...widget, runs: { ...widget.runs, limit: 500 } }, /^layout\.widgets\.0\.runs\.limit: must be at most 100$/);
      await bad({ id: "p", kind: "parallel", dimensions: ["params/lr"] }, /^layout\.widgets\.0\.dimensions: needs at least 2 axes$/);
      await bad({ ...widget, extra: 1 }, /^layout\.widgets\.0: /);
      await rejectsWith(p.as(carl).dashboards.update({ dashboardId: d.id, layout: { version: 1, widgets: [widget, widget] } }), "BAD_REQUEST", /^layout\.widgets\.1\.id: id "sc" is used by another widget$/);
      await rejectsWith(p.as(carl).dashboards.update({ dashboardId: d.id, name: "  " }), "BAD_REQUEST", /^name: is required$/);
      // Nothing was saved by the refused calls; defaults fill what a widget leaves out.
      expect((await p.as(vic).dashboards.get({ dashboardId: d.id })).layout.widgets).toEqual([]);
      const filled = await p.as(carl).dashboards.update({ dashboardId: d.id, layout: { widgets: [{ id: "t", kind: "table", columns: ["params/lr"] }] } });
      expect(filled.layout.widgets[0]).toEqual({
        id: "t", kind: "table", columns: ["params/lr"], title: "", width: 2, height: 1,
        runs: { query: "", sort: { column: "sys/creation_time", direction: "desc" }, limit: 10 },
      });
    });

    test("widget data: the runs a query selects, top N by the sort, through the run query service", async () => {
      const metric = await p.as(vic).dashboards.widgetData({ projectId: s.projectId, widget: layout.widgets[0] });
      if (metric.kind !== "metric") throw new Error("expected metric data");
      expect(metric.runs.map((r) => r.key)).toEqual([run.a.key, run.b.key]); // lr 0.1, then 0.01
      expect(metric.lines.map((l) => l.runId)).toEqual([run.a.id, run.b.id]);
      expect(metric.lines[1].points).toEqual([{ x: 0, y: 2 }, { x: 10, y: 1.5 }, { x: 20, y: 0.5 }]);
      expect(metric.lines[0].points.length).toBeLessThanOrEqual(300);

      const scatter = await p.as(vic).dashboards.widgetData({ projectId: s.projectId, widget: layout.widgets[1] });
      if (scatter.kind !== "scatter") throw new Error("expected scatter data");
      expect(scatter.runs.map((r) => r.key).sort()).toEqual([run.a.key, run.b.key].sort());
      expect(scatter.runs.find((r) => r.id === run.b.id)!.values).toEqual({ "params/lr": 0.01, "last(train/loss)": 0.5 });

      await rejectsWith(p.as(out).dashboards.widgetData({ projectId: s.projectId, widget: layout.widgets[1] }), "NOT_FOUND");
      await rejectsWith(p.as(vic).dashboards.widgetData({ projectId: s.projectId, widget: { ...layout.widgets[1], runs: { ...layout.widgets[1].runs, query: "params/lr >" } } }), "BAD_REQUEST", /^widget\.runs\.query: /);
    });
  });
});
