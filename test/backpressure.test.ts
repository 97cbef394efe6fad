import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";

// PGlite answers within microtasks, so a group finishes before the next request is even read:
// its queue never fills. The writer's queue only builds up on PostgreSQL.
const postgres = databaseKinds().find((k) => k.name === "postgres");

describe.runIf(postgres)("backpressure on postgres", () => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(postgres!, { CAIRN_WRITER_QUEUE_POINTS: "1" }); });
  afterAll(async () => { await s?.close(); });

  test("a full writer queue answers 429 with Retry-After, and the refused batches apply on retry", async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, () => s.call("POST", "/api/v1/projects/acme/iris/runs", {})));
    const body = (i: number) => ({ batchId: `b${i}`, ops: [{ append: "m", points: Array.from({ length: 10_000 }, (_, j) => ({ step: j, value: j })) }] });
    const first = await Promise.all(runs.map((r, i) => s.call("POST", `/api/v1/runs/${r.json.id}/ops`, body(i))));
    const refused = first.map((r, i) => ({ r, i })).filter(({ r }) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const { r } of refused) {
      expect(r.headers.get("retry-after")).toBe("1");
      expect(r.json.error.code).toBe("rate_limited");
    }
    expect(first.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // Retrying with the same batch ids: everything lands exactly once.
    for (const { i } of refused) {
      let again;
      do {
        again = await s.call("POST", `/api/v1/runs/${runs[i].json.id}/ops`, body(i));
      } while (again.status === 429);
      expect(again.json).toEqual({ applied: 1 });
    }
    for (const r of runs) expect((await s.call("GET", `/api/v1/runs/${r.json.id}`)).json.series.m.count).toBe(10_000);
  });
});
