import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { createCaller } from "@/server/api/root";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { people, rejectsWith } from "./helpers/people";

/*
 * The run table's tRPC procedures (query, fields, groups) and saved views, on each database:
 * what they return over a small seeded project, who may call them, and how they refuse.
 */
describe.each(databaseKinds())("run table on $name", (kind) => {
  let s: ApiServer;
  let owner: string;
  let viewer: string;
  let contributor: string;
  let maintainer: string;
  const P = { workspace: "acme", project: "iris" };
  const as = (userId: string) => createCaller({ services: s.server.services, actor: { kind: "user", userId } });

  beforeAll(async () => {
    s = await startApiServer(kind);
    const p = people(s.server.services);
    owner = await p.userIdByEmail("owner@example.com");
    viewer = await p.person("viewer@example.com", "acme", { iris: "viewer" });
    contributor = await p.person("contrib@example.com", "acme", { iris: "contributor" });
    maintainer = await p.person("maint@example.com", "acme", { iris: "maintainer" });
    // 12 runs: optimizer adam/sgd/rmsprop (i % 3), lr = (i + 1) / 100, loss = 1 / (i + 1); run 11 has no optimizer.
    for (let i = 0; i < 12; i++) {
      const fields: Record<string, unknown> = { "params/lr": (i + 1) / 100, "params/amp": i % 2 === 0 };
      if (i !== 11) fields["params/optimizer"] = ["adam", "sgd", "rmsprop"][i % 3];
      const created = await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: `r${i}`, fields });
      expect(created.status).toBe(201);
      const ops = [{ append: "train/loss", points: [{ step: 1, value: 2 }, { step: 2, value: 1 / (i + 1) }] }];
      expect((await s.call("POST", `/api/v1/runs/${created.json.id}/ops`, { batchId: "b", ops })).status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => { await s?.close(); });

  test("query pages through runs with columns, a filter and a sort (keyset)", async () => {
    const input = { ...P, query: "params/lr >= 0.05", sort: { column: "params/lr", direction: "desc" as const }, columns: ["params/lr", "last(train/loss)", "params/optimizer"], limit: 5 };
    const first = await as(viewer).runsTable.query(input);
    expect(first.runs.map((r) => r.name)).toEqual(["r11", "r10", "r9", "r8", "r7"]);
    expect(first.runs[0].values).toEqual({ "params/lr": 0.12, "last(train/loss)": 1 / 12, "params/optimizer": null });
    const second = await as(viewer).runsTable.query({ ...input, cursor: first.nextCursor! });
    expect(second.runs.map((r) => r.name)).toEqual(["r6", "r5", "r4"]);
    expect(second.nextCursor).toBeNull();
  });

  test("a query error names its position", async () => {
    await rejectsWith(as(viewer).runsTable.query({ ...P, query: "params/lr >> 1" }), "BAD_REQUEST", /at position \d+/);
    await rejectsWith(as(viewer).runsTable.query({ ...P, query: 'params/lr = "x' }), "BAD_REQUEST", /unterminated string at position 12/);
  });

  test("fields lists each path once with its types, sorted, from a skip scan", async () => {
    const { fields, truncated } = await as(viewer).runsTable.fields(P);
    expect(truncated).toBe(false);
    expect(fields).toEqual([
      { path: "params/amp", types: ["bool"] },
      { path: "params/lr", types: ["float"] },
      { path: "params/optimizer", types: ["string"] },
      { path: "train/loss", types: ["floatSeries"] },
    ]);
    // A second type of the same path shows up next to the first.
    const other = await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "odd", fields: { "params/lr": "high" } });
    try {
      const again = await as(viewer).runsTable.fields(P);
      expect(again.fields.find((f) => f.path === "params/lr")?.types).toEqual(["float", "string"]);
    } finally {
      await s.server.services.database.rows(sql`DELETE FROM runs WHERE id = ${other.json.id}`);
    }
  });

  test("groups count runs per value with min/mean/max, honoring the filter", async () => {
    const all = await as(viewer).runsTable.groups({ ...P, by: "params/optimizer", aggregates: ["params/lr", "last(train/loss)", "max(train/loss)"] });
    expect(all.total).toBe(12);
    expect(all.truncated).toBe(false);
    // i % 3: adam 0,3,6,9; sgd 1,4,7,10; rmsprop 2,5,8; run 11 has none. Largest first, then by value.
    expect(all.groups.map((g) => [g.value, g.count])).toEqual([["adam", 4], ["sgd", 4], ["rmsprop", 3], [null, 1]]);
    const adam = all.groups.find((g) => g.value === "adam")!;
    // adam: i = 0, 3, 6, 9 → lr 0.01, 0.04, 0.07, 0.10
    expect(adam.aggregates["params/lr"].min).toBeCloseTo(0.01);
    expect(adam.aggregates["params/lr"].max).toBeCloseTo(0.1);
    expect(adam.aggregates["params/lr"].mean).toBeCloseTo(0.055);
    expect(adam.aggregates["last(train/loss)"].min).toBeCloseTo(0.1);
    expect(adam.aggregates["max(train/loss)"]).toMatchObject({ min: 2, max: 2, count: 4 });
    // Each group's filter selects exactly its runs.
    for (const g of all.groups) {
      const page = await as(viewer).runsTable.query({ ...P, query: g.filter, limit: 100 });
      expect(page.runs.length, g.filter).toBe(g.count);
    }
    const filtered = await as(viewer).runsTable.groups({ ...P, query: "params/lr > 0.06", by: "params/amp" });
    expect(filtered.total).toBe(6);
    expect(filtered.groups.map((g) => [g.value, g.count]).sort()).toEqual([[false, 3], [true, 3]]);
    const bySys = await as(viewer).runsTable.groups({ ...P, by: "sys/state" });
    expect(bySys.groups).toMatchObject([{ value: "running", count: 12, filter: 'sys/state = "running"' }]);
    await rejectsWith(as(viewer).runsTable.groups({ ...P, by: "tags" }), "BAD_REQUEST", /grouped by an atom/);
    await rejectsWith(as(viewer).runsTable.groups({ ...P, by: "params/lr", aggregates: ["sys/name"] }), "BAD_REQUEST", /numeric/);
    await rejectsWith(as(viewer).runsTable.groups({ ...P, by: "params/lr", query: "(" }), "BAD_REQUEST", /query: .*at position 1/);
  });

  test("a share link to a table view reads the table; a run link and outsiders do not", async () => {
    const link = await as(owner).shareLinks.create({ projectId: s.projectId, target: { kind: "view", view: { filter: "params/lr > 0.1" } }, label: "" });
    const runLink = await as(owner).shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId: (await as(owner).runsTable.query({ ...P, limit: 1 })).runs[0].id }, label: "" });
    const { authenticateShare } = await import("@/server/authz/authenticate-share");
    const viewActor = await authenticateShare(s.server.services.database, link.token);
    const asLink = createCaller({ services: s.server.services, actor: viewActor });
    expect((await asLink.runsTable.query({ ...P, query: "params/lr > 0.1" })).runs.map((r) => r.name)).toEqual(["r11", "r10"]);
    expect((await asLink.runsTable.fields(P)).fields.length).toBe(4);
    expect((await asLink.runsTable.groups({ ...P, by: "params/amp" })).total).toBe(12);
    await rejectsWith(asLink.savedViews.list({ projectId: s.projectId }), "UNAUTHORIZED");
    const runActor = await authenticateShare(s.server.services.database, runLink.token);
    await rejectsWith(createCaller({ services: s.server.services, actor: runActor }).runsTable.query(P), "NOT_FOUND");
    const outsider = await people(s.server.services).person("out@example.com", "acme");
    await rejectsWith(as(outsider).runsTable.fields(P), "NOT_FOUND");
  });

  test("saved views: contributors save, readers list and open, creator or maintainers delete", async () => {
    const state = { columns: ["params/lr", "last(train/loss)"], sort: { column: "params/lr", direction: "desc" as const }, filter: "params/amp = true", groupBy: null, aggregates: [], widths: { "params/lr": 140 }, chart: { panels: [{ metric: "train/loss" }] } };
    await rejectsWith(as(viewer).savedViews.create({ projectId: s.projectId, name: "nope", state }), "FORBIDDEN");
    const mine = await as(contributor).savedViews.create({ projectId: s.projectId, name: "  amp runs ", state });
    expect(mine).toMatchObject({ name: "amp runs", state, createdBy: contributor, canDelete: true });
    await rejectsWith(as(owner).savedViews.create({ projectId: s.projectId, name: "amp runs", state: {} }), "CONFLICT", /name/);

    const listed = await as(viewer).savedViews.list({ projectId: s.projectId });
    expect(listed.map((v) => [v.name, v.canDelete])).toEqual([["amp runs", false]]);
    const opened = await as(viewer).savedViews.get({ viewId: mine.id });
    expect(opened.state).toEqual(state);
    // A partial state opens with defaults filled in.
    const partial = await as(owner).savedViews.create({ projectId: s.projectId, name: "partial", state: { filter: "params/lr > 0" } });
    expect(partial.state).toMatchObject({ filter: "params/lr > 0", sort: null, groupBy: null, aggregates: [], widths: {} });
    expect(partial.state.columns.length).toBeGreaterThan(0);

    const updated = await as(maintainer).savedViews.update({ viewId: mine.id, state: { ...state, filter: "params/amp = false" } });
    expect(updated.state.filter).toBe("params/amp = false");
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(mine.updatedAt).getTime());
    await rejectsWith(as(maintainer).savedViews.update({ viewId: mine.id, name: "partial" }), "CONFLICT");
    await rejectsWith(as(viewer).savedViews.update({ viewId: mine.id, name: "x" }), "FORBIDDEN");
    await rejectsWith(as(owner).savedViews.create({ projectId: s.projectId, name: "big", state: { columns: Array.from({ length: 101 }, (_, i) => `p/${i}`) } }), "BAD_REQUEST", /columns/);

    // Another contributor may not delete someone else's view; the creator and maintainers may.
    const other = await people(s.server.services).person("c2@example.com", "acme", { iris: "contributor" });
    await rejectsWith(as(other).savedViews.delete({ viewId: mine.id }), "FORBIDDEN");
    expect(await as(contributor).savedViews.delete({ viewId: mine.id })).toEqual({ deleted: true });
    await rejectsWith(as(viewer).savedViews.get({ viewId: mine.id }), "NOT_FOUND");
    expect(await as(maintainer).savedViews.delete({ viewId: partial.id })).toEqual({ deleted: true });
    // Views of a project the asker cannot see are not found.
    const outsider = await people(s.server.services).person("out2@example.com", "acme");
    const again = await as(owner).savedViews.create({ projectId: s.projectId, name: "again", state: {} });
    await rejectsWith(as(outsider).savedViews.get({ viewId: again.id }), "NOT_FOUND");
    await rejectsWith(as(outsider).savedViews.delete({ viewId: again.id }), "NOT_FOUND");
  });
});
