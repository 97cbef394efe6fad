import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WALK_MIN_ENTRIES } from "@/server/services/runs/query/read-page";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";

const QUERY = "/api/v1/projects/acme/iris/runs/query";
// More runs with a value than a walk reads before it falls back, so the fallback is reached.
const RUNS = 4000;

type Sort = { column: string; direction: "asc" | "desc" };
type Page = { runs: { id: string }[]; nextCursor: string | null };

/**
 * Pages of the run table compared with one plain query per sort: ORDER BY (value IS NULL),
 * value, id with OFFSET. Seeded with SQL: RUNS runs whose fields are a function of the run
 * number, with ties, runs lacking the sorted field, and runs giving it another type.
 */
describe.each(databaseKinds())("run query pages on $name", (kind) => {
  let s: ApiServer;
  const rows = <T>(q: SQL) => s.db.database.rows<T>(q);
  const q = async (body: object): Promise<Page> => {
    const r = await s.call("POST", QUERY, body);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as Page;
  };
  /** Every run the endpoint returns for `body`, page by page. */
  const all = async (body: { sort: Sort; query?: string; limit: number }) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < RUNS; page++) {
      const r = await q({ ...body, cursor });
      ids.push(...r.runs.map((x) => x.id));
      if (!r.nextCursor) return ids;
      cursor = r.nextCursor;
    }
    throw new Error("no last page");
  };

  // The value each sort orders by, as a plain join, and the filters written by hand.
  const sortValues: Record<string, { join: SQL; value: SQL }> = {
    "params/x": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'params/x' AND v.type = 'float'`, value: sql`v.num` },
    "params/s": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'params/s' AND v.type = 'string'`, value: sql`v.str` },
    "params/b": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'params/b' AND v.type = 'bool'`, value: sql`v.bool` },
    "params/d": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'params/d' AND v.type = 'datetime'`, value: sql`v.date` },
    "metrics/loss": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'metrics/loss' AND v.type = 'floatSeries'`, value: sql`v.last` },
    "last(metrics/loss)": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'metrics/loss' AND v.type = 'floatSeries'`, value: sql`v.last` },
    "min(metrics/loss)": { join: sql`LEFT JOIN fields v ON v.run_id = r.id AND v.path = 'metrics/loss' AND v.type = 'floatSeries'`, value: sql`v.min` },
    "sys/creation_time": { join: sql``, value: sql`r.created_at` },
    "sys/key": { join: sql``, value: sql`r.number` },
    "sys/custom_id": { join: sql``, value: sql`r.custom_id` },
  };
  const has = (path: string, test: string) =>
    sql`EXISTS (SELECT 1 FROM fields f WHERE f.run_id = r.id AND f.path = ${path} AND ${sql.raw(test)})`;
  // Each with the page size its test walks it in.
  const filters: Record<string, [SQL, number]> = {
    // Matches about a third of the runs.
    'params/b = true or params/x < 30': [sql`(${has("params/b", "f.type = 'bool' AND f.bool")} OR ${has("params/x", "f.type = 'float' AND f.num < 30")})`, 70],
    // Matches a few runs, all with low params/x: a descending walk meets them after its cap.
    'params/s = "rare"': [has("params/s", "f.type = 'string' AND f.str = 'rare'"), 7],
    'tags contains "rare" and not params/b = true': [sql`(EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = 'rare') AND NOT ${has("params/b", "f.type = 'bool' AND f.bool")})`, 2],
  };
  const expected = async (sort: Sort, query?: string, window?: { offset: number; limit: number }) => {
    const { join, value } = sortValues[sort.column];
    const d = sql.raw(sort.direction.toUpperCase());
    const out = await rows<{ id: string }>(sql`
      SELECT r.id FROM runs r ${join}
      WHERE r.project_id = ${s.projectId} ${query ? sql`AND ${filters[query][0]}` : sql``}
      ORDER BY (${value} IS NULL), ${value} ${d}, r.id ${d}
      ${window ? sql`OFFSET ${window.offset} LIMIT ${window.limit}` : sql``}`);
    return out.map((x) => x.id);
  };

  beforeAll(async () => {
    s = await startApiServer(kind);
    const p = s.projectId;
    await rows(sql`UPDATE projects SET run_counter = ${RUNS} WHERE id = ${p}`);
    // Three runs per second of creation time, so the id breaks ties there too.
    await rows(sql`
      INSERT INTO runs (project_id, number, key, name, created_at, custom_id)
      SELECT ${p}::uuid, n, 'IRIS-' || n, 't-' || n, timestamptz '2026-01-01T00:00:00Z' + (n / 3) * interval '1 second',
        CASE WHEN n % 7 = 0 THEN 'job-' || ((n * 37) % 4001) END
      FROM generate_series(1, ${RUNS}::int) n`);
    const each = (select: string) => rows(sql`
      INSERT INTO fields (run_id, project_id, path, type, num, str, bool, date, count, first_step, last_step, last, min, max, sort_last)
      SELECT r.id, r.project_id, x.path, x.type, x.num::float8, x.str::text, x.bool::bool, x.date::timestamptz, x.count::int8,
        x.first_step::float8, x.last_step::float8, x.last::float8, x.min::float8, x.max::float8,
        CASE WHEN x.type = 'floatSeries' THEN x.last::float8 END
      FROM runs r CROSS JOIN LATERAL (${sql.raw(select)}) x(path, type, num, str, bool, date, count, first_step, last_step, last, min, max)
      WHERE r.project_id = ${p}`);
    // params/x: 1,000 values, so ties; none on every 10th run; a string on runs 5, 55, 105, ...
    await each(`SELECT 'params/x', 'float', ((r.number * 7919) % 1000) / 10.0::float8, NULL, NULL::bool, NULL::timestamptz, NULL::bigint, NULL::float8, NULL::float8, NULL::float8, NULL::float8, NULL::float8
      WHERE r.number % 10 <> 0 AND r.number % 50 <> 5
      UNION ALL SELECT 'params/x', 'string', NULL, 'five', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE r.number % 50 = 5`);
    // params/s: "rare" on a few runs whose params/x is below 3 (the end of a descending walk).
    await each(`SELECT 'params/s', 'string', NULL, CASE WHEN (r.number * 7919) % 1000 < 30 AND r.number % 3 = 0 THEN 'rare' ELSE 's' || (r.number % 13) END,
      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE r.number % 9 <> 0`);
    await each(`SELECT 'params/b', 'bool', NULL, NULL, r.number % 4 = 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE r.number % 6 <> 0`);
    await each(`SELECT 'params/d', 'datetime', NULL, NULL, NULL, timestamptz '2026-01-01T00:00:00Z' + (r.number % 97) * interval '1 day', NULL, NULL, NULL, NULL, NULL, NULL
      WHERE r.number % 2 = 0`);
    // metrics/loss: last with ties and a NaN; none on every 25th run; no points (no last) on every 101st.
    await each(`SELECT 'metrics/loss', 'floatSeries', NULL, NULL, NULL, NULL, 10, 0, 9,
      CASE WHEN r.number % 101 = 0 THEN NULL WHEN r.number = 77 THEN 'NaN'::float8 ELSE ((r.number * 31) % 200) / 100.0 END,
      CASE WHEN r.number % 101 = 0 THEN NULL ELSE ((r.number * 17) % 300) / 100.0 END, 3
      WHERE r.number % 25 <> 0`);
    await rows(sql`
      INSERT INTO run_tags (run_id, tag, project_id)
      SELECT r.id, 'rare', r.project_id FROM runs r WHERE r.project_id = ${p} AND r.number % 400 = 1`);
    await rows(sql`ANALYZE`);
  }, 120_000);
  afterAll(async () => { await s?.close(); });

  test("the seed is what the tests assume", async () => {
    const [x] = await rows<{ values: number; rare: number; behind: number }>(sql`
      SELECT count(*)::int AS values,
        (SELECT count(*)::int FROM fields WHERE path = 'params/s' AND str = 'rare') AS rare,
        (SELECT count(*)::int FROM fields WHERE path = 'params/x' AND type = 'float' AND num > 3) AS behind
      FROM fields WHERE path = 'params/x' AND type = 'float'`);
    expect(x.values).toBeGreaterThan(WALK_MIN_ENTRIES);
    expect(x.behind).toBeGreaterThan(WALK_MIN_ENTRIES); // every rare run is past the cap of a descending walk
    expect(x.rare).toBeGreaterThan(20);
  });

  test("page 200 through the cursor is the page OFFSET gives", async () => {
    for (const sort of [{ column: "params/x", direction: "desc" }, { column: "last(metrics/loss)", direction: "asc" }, { column: "sys/creation_time", direction: "desc" }] as Sort[]) {
      let cursor: string | undefined;
      let page: Page | undefined;
      for (let i = 1; i <= 200; i++) {
        page = await q({ sort, limit: 10, cursor, columns: [] });
        cursor = page.nextCursor!;
        expect(cursor, `${sort.column} page ${i}`).toBeTruthy();
      }
      expect(page!.runs.map((x) => x.id), sort.column).toEqual(await expected(sort, undefined, { offset: 1990, limit: 10 }));
    }
  });

  test.each([
    ["params/x", "desc"], ["params/x", "asc"], ["params/s", "asc"], ["params/b", "desc"], ["params/d", "asc"],
    ["metrics/loss", "desc"], ["last(metrics/loss)", "asc"], ["last(metrics/loss)", "desc"], ["min(metrics/loss)", "desc"],
    ["sys/creation_time", "asc"], ["sys/key", "desc"], ["sys/custom_id", "asc"],
  ])("every page of %s %s, with and without filters, runs without the value last", async (column, direction) => {
    const sort = { column, direction } as Sort;
    expect(await all({ sort, limit: 250 }), "no filter").toEqual(await expected(sort));
    for (const [query, [, limit]] of Object.entries(filters)) {
      expect(await all({ sort, query, limit }), query).toEqual(await expected(sort, query));
    }
  });

  test("a filter that matches few runs: the first page is complete and correct", async () => {
    // Descending by params/x the rare runs lie past the walk's cap: answered by the fallback.
    for (const direction of ["desc", "asc"] as const) {
      const sort: Sort = { column: "params/x", direction };
      const want = await expected(sort, 'params/s = "rare"');
      const page = await q({ sort, query: 'params/s = "rare"', limit: 5 });
      expect(page.runs.map((x) => x.id), direction).toEqual(want.slice(0, 5));
      expect(page.nextCursor).toBeTruthy();
    }
  });

  test("runs lacking the sort value, or giving the path another type, follow the others by id", async () => {
    const sort: Sort = { column: "params/x", direction: "asc" };
    const ids = await all({ sort, limit: 50 });
    const [{ lacking }] = await rows<{ lacking: number }>(sql`
      SELECT count(*)::int AS lacking FROM runs r WHERE r.project_id = ${s.projectId}
        AND NOT EXISTS (SELECT 1 FROM fields f WHERE f.run_id = r.id AND f.path = 'params/x' AND f.type = 'float')`);
    expect(lacking).toBeGreaterThan(400);
    const tail = await rows<{ id: string }>(sql`
      SELECT r.id FROM runs r WHERE r.project_id = ${s.projectId}
        AND NOT EXISTS (SELECT 1 FROM fields f WHERE f.run_id = r.id AND f.path = 'params/x' AND f.type = 'float')
      ORDER BY r.id`);
    expect(ids.slice(-lacking)).toEqual(tail.map((x) => x.id));
    expect(new Set(ids).size).toBe(RUNS);
  });

  test("a float series' sort follows appends within about a second", async () => {
    const live = await s.newKey({ email: "owner@example.com", workspace: "acme", project: "live" });
    const call = (method: string, path: string, body: unknown) => s.call(method, path, body, { authorization: `Bearer ${live.key}` });
    const run = async (name: string) => (await call("POST", "/api/v1/projects/acme/live/runs", { name })).json.id as string;
    const append = async (id: string, batchId: string, value: number) =>
      expect((await call("POST", `/api/v1/runs/${id}/ops`, { batchId, ops: [{ append: "loss", points: [{ value }] }] })).status).toBe(200);
    const order = async () => {
      const r = await call("POST", "/api/v1/projects/acme/live/runs/query", { sort: { column: "last(loss)" }, columns: ["last(loss)"] });
      return (r.json.runs as { id: string; values: Record<string, number> }[]).map((x) => [x.id, x.values["last(loss)"]]);
    };
    const a = await run("a");
    const b = await run("b");
    await append(a, "a1", 1);
    await append(b, "b1", 2);
    expect(await order()).toEqual([[a, 1], [b, 2]]); // a series' first append sorts at once
    await append(a, "a2", 3);
    // The value shown is current at once; the order catches up within about a second.
    const deadline = Date.now() + 5000;
    let seen = await order();
    while (seen[0][0] !== b && Date.now() < deadline) {
      expect(seen.find((x) => x[0] === a)![1]).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await order();
    }
    expect(seen).toEqual([[b, 2], [a, 3]]);
  });
});
