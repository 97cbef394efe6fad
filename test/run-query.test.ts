import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";

type Seed = {
  i: number; id: string; key: string; name: string; lr: number; opt: string; amp: boolean; notes?: string;
  tags: string[]; state: string; loss: number; when?: string;
};

const QUERY = "/api/v1/projects/acme/iris/runs/query";

describe.each(databaseKinds())("run query on $name", (kind) => {
  let s: ApiServer;
  const seeds: Seed[] = [];
  const q = (body: object) => s.call("POST", QUERY, body);
  /** Names of every run matching `query`, sorted, for comparing with a filter over `seeds`. */
  const matching = async (query: string) => {
    const r = await q({ query, limit: 1000 });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.runs as { name: string }[]).map((x) => x.name).sort();
  };
  const expected = (keep: (x: Seed) => boolean) => seeds.filter(keep).map((x) => x.name).sort();

  beforeAll(async () => {
    s = await startApiServer(kind);
    for (let i = 0; i < 30; i++) {
      const tags = [...(i % 3 === 0 ? ["baseline"] : []), ...(i % 5 === 0 ? ["v5"] : [])];
      const seed: Seed = {
        i, id: "", key: "", name: `run-${String(i).padStart(2, "0")}`, lr: 0.0001 * (i + 1), opt: i % 2 ? "adam" : "sgd",
        amp: i % 4 === 0, tags, state: ["running", "succeeded", "failed", "running"][i % 4], loss: 1 / (i + 1),
        ...(i < 10 ? { notes: `note ${i}` } : {}),
        ...(i < 6 ? { when: `2026-01-0${i + 1}T00:00:00.000Z` } : {}),
      };
      const fields: Record<string, unknown> = { "params/lr": seed.lr, "params/opt": seed.opt, "params/amp": seed.amp };
      if (seed.notes) fields.notes = seed.notes;
      const created = await s.call("POST", "/api/v1/projects/acme/iris/runs", {
        name: seed.name, tags, fields, ...(i === 7 ? { customId: "job-7" } : {}),
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      Object.assign(seed, { id: created.json.id, key: created.json.key });
      const ops: unknown[] = [{ append: "train/loss", points: [{ step: 1, value: 1 }, { step: 2, value: seed.loss }] }];
      if (seed.when) ops.push({ assign: "params/when", value: seed.when, type: "datetime" });
      if (i === 29) ops.push({ append: "weird/series", points: [{ value: 1 }, { value: "NaN" }] });
      const applied = await s.call("POST", `/api/v1/runs/${seed.id}/ops`, { batchId: "seed", ops });
      expect(applied.status, JSON.stringify(applied.json)).toBe(200);
      if (seed.state !== "running") {
        expect((await s.call("POST", `/api/v1/runs/${seed.id}/finish`, { state: seed.state })).status).toBe(200);
      }
      seeds.push(seed);
    }
  });
  afterAll(async () => { await s?.close(); });

  test("no query lists every run, newest first, and the create route still creates", async () => {
    const r = await q({ limit: 1000 });
    expect(r.status).toBe(200);
    expect(r.json.runs.map((x: { id: string }) => x.id)).toEqual(seeds.map((x) => x.id).reverse());
    expect(r.json.runs[0]).toMatchObject({ id: seeds[29].id, key: seeds[29].key, name: "run-29", state: seeds[29].state, values: {} });
    expect(new Date(r.json.runs[0].createdAt).toISOString()).toBe(r.json.runs[0].createdAt);
    expect(r.json.nextCursor).toBeNull();
  });

  test("comparison operators on numbers, strings and booleans", async () => {
    const lr = seeds[9].lr;
    expect(await matching(`params/lr = ${lr}`)).toEqual(["run-09"]);
    expect(await matching(`params/lr != ${lr}`)).toEqual(expected((x) => x.i !== 9));
    expect(await matching(`params/lr < ${lr}`)).toEqual(expected((x) => x.i < 9));
    expect(await matching(`params/lr <= ${lr}`)).toEqual(expected((x) => x.i <= 9));
    expect(await matching(`params/lr > ${lr}`)).toEqual(expected((x) => x.i > 9));
    expect(await matching(`params/lr >= ${lr}`)).toEqual(expected((x) => x.i >= 9));
    expect(await matching('params/opt = "adam"')).toEqual(expected((x) => x.opt === "adam"));
    expect(await matching('params/opt != "adam"')).toEqual(expected((x) => x.opt !== "adam"));
    expect(await matching('params/opt > "b"')).toEqual(expected((x) => x.opt === "sgd"));
    expect(await matching("params/amp = true")).toEqual(expected((x) => x.amp));
    expect(await matching("params/amp != TRUE")).toEqual(expected((x) => !x.amp));
    // A number never matches a string field, nor a string a number field.
    expect(await matching("params/opt = 1")).toEqual([]);
    expect(await matching('params/lr = "0.001"')).toEqual([]);
  });

  test("missing fields: comparisons are false, != needs the field, not inverts", async () => {
    expect(await matching('notes != "note 1"')).toEqual(expected((x) => x.notes !== undefined && x.notes !== "note 1"));
    expect(await matching('not notes = "note 1"')).toEqual(expected((x) => x.notes !== "note 1"));
    expect(await matching("notes exists")).toEqual(expected((x) => x.notes !== undefined));
    expect(await matching("not exists notes")).toEqual(expected((x) => x.notes === undefined));
    expect(await matching("nothing/here < 1 or not nothing/here < 1")).toEqual(expected(() => true));
  });

  test("and, or, not and parentheses", async () => {
    expect(await matching('params/opt = "adam" and params/amp = false and params/lr < 0.001'))
      .toEqual(expected((x) => x.opt === "adam" && !x.amp && x.lr < 0.001));
    expect(await matching('params/amp = true or params/lr > 0.0025 AND params/opt = "sgd"'))
      .toEqual(expected((x) => x.amp || (x.lr > 0.0025 && x.opt === "sgd")));
    expect(await matching('(params/amp = true or params/lr > 0.0025) and params/opt = "sgd"'))
      .toEqual(expected((x) => (x.amp || x.lr > 0.0025) && x.opt === "sgd"));
    expect(await matching('not (params/opt = "adam" or tags contains "baseline")'))
      .toEqual(expected((x) => !(x.opt === "adam" || x.tags.includes("baseline"))));
  });

  test("tags, contains and matches", async () => {
    expect(await matching('tags contains "baseline"')).toEqual(expected((x) => x.tags.includes("baseline")));
    expect(await matching('tags contains "base"')).toEqual([]);
    expect(await matching('tags matches "^v[0-9]$"')).toEqual(expected((x) => x.tags.includes("v5")));
    expect(await matching("tags exists")).toEqual(expected((x) => x.tags.length > 0));
    expect(await matching("not tags exists")).toEqual(expected((x) => x.tags.length === 0));
    expect(await matching('notes contains "e 1"')).toEqual(["run-01"]);
    expect(await matching('notes contains "%"')).toEqual([]);
    expect(await matching('notes matches "^note [2-4]$"')).toEqual(["run-02", "run-03", "run-04"]);
    expect(await matching('sys/name matches "^run-1"')).toEqual(expected((x) => x.name.startsWith("run-1")));
    expect(await matching('sys/name contains "-2"')).toEqual(expected((x) => x.name.includes("-2")));
  });

  test("sys/ fields", async () => {
    expect(await matching('sys/state = "succeeded"')).toEqual(expected((x) => x.state === "succeeded"));
    expect(await matching('sys/state != "running"')).toEqual(expected((x) => x.state !== "running"));
    expect(await matching('sys/name = "run-03"')).toEqual(["run-03"]);
    expect(await matching(`sys/key = "${seeds[4].key}"`)).toEqual(["run-04"]);
    expect(await matching(`sys/id = "${seeds[5].id}"`)).toEqual(["run-05"]);
    expect(await matching('sys/owner = "owner@example.com"')).toEqual(expected(() => true));
    expect(await matching('sys/custom_id = "job-7"')).toEqual(["run-07"]);
    expect(await matching("sys/custom_id exists")).toEqual(["run-07"]);
    expect(await matching('not sys/custom_id = "job-7"')).toEqual(expected((x) => x.i !== 7));
    expect(await matching("sys/finished_time exists")).toEqual(expected((x) => x.state !== "running"));

    const created = (await q({ query: 'sys/name = "run-15"', columns: ["sys/creation_time"] })).json.runs[0].values["sys/creation_time"];
    expect(await matching(`sys/creation_time >= "${created}"`)).toEqual(expected((x) => x.i >= 15));
    expect(await matching(`sys/creation_time < "${created}" and sys/creation_time > "2000-01-01"`)).toEqual(expected((x) => x.i < 15));
  });

  test("series summaries and datetime fields", async () => {
    expect(await matching("last(train/loss) < 0.1")).toEqual(expected((x) => x.loss < 0.1));
    expect(await matching("min(train/loss) >= 0.5")).toEqual(expected((x) => x.loss >= 0.5));
    expect(await matching("max(train/loss) = 1")).toEqual(expected(() => true));
    expect(await matching("last(params/lr) < 1")).toEqual([]);
    expect(await matching("train/loss exists and last(weird/series) exists")).toEqual(["run-29"]);
    expect(await matching('params/when >= "2026-01-04"')).toEqual(["run-03", "run-04", "run-05"]);
    expect(await matching('params/when = "2026-01-02T00:00:00Z"')).toEqual(["run-01"]);
    expect(await matching('params/when < "2026-01-02T00:00"')).toEqual(["run-00"]);
  });

  test("sorting by an atom, a series summary and a sys column, missing values last", async () => {
    const order = async (column: string, direction?: "asc" | "desc") =>
      ((await q({ sort: { column, direction }, limit: 1000 })).json.runs as { name: string }[]).map((x) => x.name);
    const byLr = seeds.map((x) => x.name);
    expect(await order("params/lr")).toEqual(byLr);
    expect(await order("params/lr", "desc")).toEqual([...byLr].reverse());
    expect(await order("last(train/loss)", "asc")).toEqual([...byLr].reverse());
    expect(await order("sys/creation_time", "asc")).toEqual(byLr);
    expect(await order("sys/key", "desc")).toEqual([...byLr].reverse());
    const withNotes = seeds.filter((x) => x.notes).map((x) => x.name);
    expect((await order("notes", "desc")).slice(0, 10)).toEqual([...withNotes].reverse());
    expect((await order("notes", "asc")).slice(0, 10)).toEqual(withNotes);
    expect(await order("no/such/path")).toHaveLength(30);
  });

  test("pages through every run exactly once, in order, for several sorts", async () => {
    const sorts = [undefined, { column: "params/opt" }, { column: "notes", direction: "desc" }, { column: "last(train/loss)" }, { column: "sys/state", direction: "desc" }];
    for (const sort of sorts) {
      const all = (await q({ sort, limit: 1000 })).json.runs.map((x: { id: string }) => x.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const r = await q({ sort, limit: 7, cursor });
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        seen.push(...r.json.runs.map((x: { id: string }) => x.id));
        if (!r.json.nextCursor) break;
        expect(r.json.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
        cursor = r.json.nextCursor;
      }
      expect(seen, JSON.stringify(sort)).toEqual(all);
      expect(new Set(seen).size).toBe(30);
    }
    // A filter and a cursor together.
    const first = await q({ query: 'params/opt = "adam"', limit: 10 });
    const second = await q({ query: 'params/opt = "adam"', limit: 10, cursor: first.json.nextCursor });
    expect([...first.json.runs, ...second.json.runs].map((x: { name: string }) => x.name).sort()).toEqual(expected((x) => x.opt === "adam"));
    expect(second.json.nextCursor).toBeNull();
  });

  test("columns", async () => {
    const r = await q({
      query: 'sys/name = "run-29" or sys/name = "run-00"', sort: { column: "sys/name" },
      columns: ["params/lr", "params/amp", "notes", "sys/state", "sys/key", "last(train/loss)", "min(train/loss)", "tags", "train/loss", "last(weird/series)", "params/when", "missing/x"],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const [a, b] = r.json.runs;
    expect(a.values).toEqual({
      "params/lr": 0.0001, "params/amp": true, notes: "note 0", "sys/state": "running", "sys/key": seeds[0].key,
      "last(train/loss)": 1, "min(train/loss)": 1, tags: ["baseline", "v5"],
      "train/loss": { type: "floatSeries", count: 2, firstStep: 1, lastStep: 2, last: 1, min: 1, max: 1 },
      "last(weird/series)": null, "params/when": "2026-01-01T00:00:00.000Z", "missing/x": null,
    });
    expect(b.values).toMatchObject({ notes: null, tags: [], "last(weird/series)": "NaN", "last(train/loss)": 1 / 30, "params/when": null });
  });

  test("injection attempts only match nothing", async () => {
    expect(await matching(`params/opt = "'; DROP TABLE runs; --"`)).toEqual([]);
    expect(await matching(`sys/name = "x' OR '1'='1"`)).toEqual([]);
    expect(await matching(`tags contains "\\" or 1=1 --"`)).toEqual([]);
    expect((await q({ query: "params/opt = 1; DROP TABLE runs" })).status).toBe(400);
    expect((await q({ sort: { column: "params/lr; DROP TABLE runs" } })).status).toBe(400);
    expect(await matching("params/lr exists")).toHaveLength(30);
  });

  test("errors are 400s naming the field and the position", async () => {
    const bad = async (body: unknown, where: string, text?: string) => {
      const r = await q(body as object);
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error.code).toBe("invalid");
      expect(r.json.error.message.startsWith(`${where}:`), r.json.error.message).toBe(true);
      if (text) expect(r.json.error.message).toContain(text);
    };
    await bad({ query: "params/lr > " }, "query", "at position 12");
    await bad({ query: 'sys/state > 3' }, "query", "at position 12");
    await bad({ query: 'tags = "x"' }, "query", "at position 0");
    await bad({ query: 'a = "unterminated' }, "query", "unterminated string at position 4");
    await bad({ query: "" }, "query", "query is empty at position 0");
    await bad({ query: 'notes matches "a(" and notes matches "(b"' }, "query", "at position 14");
    await bad({ query: 3 }, "query");
    await bad({ sort: { column: "tags" } }, "sort.column", "at position 0");
    await bad({ sort: { column: "params/lr", direction: "up" } }, "sort.direction");
    await bad({ columns: ["params/lr", "avg(x)"] }, "columns[1]", "unknown function");
    await bad({ columns: Array.from({ length: 101 }, (_, i) => `p/${i}`) }, "columns");
    await bad({ limit: 0 }, "limit");
    await bad({ limit: 1001 }, "limit");
    await bad({ limit: 1.5 }, "limit");
    await bad({ extra: 1 }, "body");
    await bad({ cursor: "nonsense" }, "cursor");
    const next = (await q({ limit: 2 })).json.nextCursor;
    await bad({ cursor: next, sort: { column: "params/lr" } }, "cursor", "different sort");
    const forged = Buffer.from(JSON.stringify({ sort: "desc sys/creation_time", type: "timestamptz", value: "not a time", id: seeds[0].id })).toString("base64url");
    await bad({ cursor: forged }, "cursor");
  });

  test("other tenants get 404; a read-only key may query", async () => {
    const other = await s.newKey({ email: "eve@example.com", workspace: "other", project: "x" });
    const r = await s.call("POST", QUERY, {}, { authorization: `Bearer ${other.key}` });
    expect(r.status).toBe(404);
    expect((await s.call("POST", "/api/v1/projects/acme/nope/runs/query", {})).status).toBe(404);
    expect((await s.call("POST", "/api/v1/projects/other/x/runs/query", {}, { authorization: `Bearer ${other.key}` })).json.runs).toEqual([]);
    const reader = await s.newKey({ email: "reader@example.com", workspace: "acme", project: "iris", readOnly: true });
    expect((await s.call("POST", QUERY, { limit: 1 }, { authorization: `Bearer ${reader.key}` })).status).toBe(200);
  });
});
