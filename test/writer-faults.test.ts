import { afterAll, beforeAll, describe, expect, test } from "vitest";
import postgres from "postgres";
import { startServer, type ServerProcess } from "./helpers/server";

/*
 * What a failover, a PostgreSQL restart or an idle-connection reaper does to a running
 * server: its backends are terminated while clients log. Clients retry with the same batch
 * id, so every point must land exactly once, no request may hang, and the server must come
 * back by itself and still shut down cleanly.
 */

const pgUrl = process.env.TEST_DATABASE_URL;
const POINTS = 200_000;
const PER_BATCH = 2_000;
const STREAMS = 4;

type Timed = { ms: number; status: number | "network"; body?: string };

describe.skipIf(!pgUrl)("the writer after PostgreSQL connections are terminated", () => {
  let server: ServerProcess;
  let admin: postgres.Sql;
  let runId: string;
  const auth = () => ({ authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" });

  beforeAll(async () => {
    server = await startServer();
    admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    const res = await fetch(`${server.url}/api/v1/projects/${server.workspace}/${server.project}/runs`, {
      method: "POST", headers: auth(), body: JSON.stringify({ name: "faults" }),
    });
    runId = (await res.json()).id;
  });
  afterAll(async () => {
    await server?.stop();
    await admin?.end();
  });

  const databaseName = () => new URL(server.databaseUrl!).pathname.slice(1);
  const terminateBackends = () => admin`
    SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
    WHERE datname = ${databaseName()} AND pid <> pg_backend_pid()`.then((r) => r[0].n as number);

  /** One ops request; its time and status (or "network" when the connection failed). */
  async function post(body: string): Promise<Timed> {
    const started = performance.now();
    try {
      const res = await fetch(`${server.url}/api/v1/runs/${runId}/ops`, {
        method: "POST", headers: auth(), body, signal: AbortSignal.timeout(30_000),
      });
      const answer = await res.text();
      return { ms: performance.now() - started, status: res.status, body: answer.slice(0, 300) };
    } catch (e) {
      return { ms: performance.now() - started, status: "network", body: String((e as Error).cause ?? e) };
    }
  }

  /** A client as the SDK behaves: on 429, 5xx or a network error it resends the same batch. */
  async function sendWithRetries(body: string, times: Timed[]): Promise<void> {
    const statuses: Timed["status"][] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      const t = await post(body);
      times.push(t);
      statuses.push(t.status);
      if (t.status === 200) return;
      if (t.status !== "network" && t.status < 429) throw new Error(`refused with ${t.status}: ${t.body}`);
      await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1000)));
    }
    throw new Error(`never accepted (${statuses.join(" ")}); last answer ${times.at(-1)?.body}; alive ${await fetch(server.url + "/api/v1/health").then((r) => r.status, (e) => String(e.cause))}\n${server.output().slice(-4000)}`);
  }

  test("every point is stored exactly once, no request hangs, and writes succeed right after", async () => {
    const times: Timed[] = [];
    let sent = 0;
    const stream = async (s: number) => {
      for (let b = 0; b < POINTS / PER_BATCH / STREAMS; b++) {
        const first = b * PER_BATCH;
        const points = Array.from({ length: PER_BATCH }, (_, i) => ({ step: first + i, value: first + i }));
        await sendWithRetries(JSON.stringify({ batchId: `s${s}-b${b}`, ops: [{ append: `faults/s${s}`, points }] }), times);
        sent += PER_BATCH;
      }
    };
    const clients = Promise.all(Array.from({ length: STREAMS }, (_, s) => stream(s)));

    // Two faults 300 ms apart, while about a third has been sent.
    while (sent < POINTS / 3) await new Promise((r) => setTimeout(r, 5));
    expect(await terminateBackends()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    await terminateBackends();
    const faultEnded = performance.now();

    // A write right after the faults is accepted promptly.
    const single: Timed[] = [];
    await sendWithRetries(JSON.stringify({ batchId: "after-fault", ops: [{ assign: "after/fault", value: 1 }] }), single);
    const recovered = performance.now() - faultEnded;
    expect(recovered).toBeLessThan(2_000);

    await clients;
    const slowest = Math.max(...times.map((t) => t.ms));
    expect(slowest, `slowest request ${slowest.toFixed(0)} ms`).toBeLessThan(10_000);
    const refused = times.filter((t) => t.status !== 200).length;
    expect(refused, "some requests met the fault").toBeGreaterThan(0);
    console.info(`faults: ${times.length} requests, ${refused} refused and retried, slowest ${slowest.toFixed(0)} ms, first write after the faults ${recovered.toFixed(0)} ms`);

    const run = await (await fetch(`${server.url}/api/v1/runs/${runId}`, { headers: auth() })).json();
    expect(run.fields["after/fault"]).toBe(1);
    for (let s = 0; s < STREAMS; s++) {
      expect(run.series[`faults/s${s}`]).toMatchObject({ count: POINTS / STREAMS, firstStep: 0, lastStep: POINTS / STREAMS - 1 });
    }
    // Exactly once: as many point rows as points, none twice.
    const data = postgres(server.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const [counts] = await data`
        SELECT count(*)::int AS rows, count(DISTINCT (p.series_id, p.step))::int AS keys
        FROM float_points p JOIN fields f ON f.id = p.series_id WHERE f.run_id = ${runId}`;
      expect(counts).toEqual({ rows: POINTS, keys: POINTS });
    } finally {
      await data.end();
    }
  }, 120_000);

  test("health says degraded while the database refuses connections, and ok once it is back", async () => {
    const health = async () => {
      const res = await fetch(`${server.url}/api/v1/health`);
      return { status: res.status, body: await res.json() };
    };
    expect((await health()).body.status).toBe("ok");
    await admin.unsafe(`ALTER DATABASE "${databaseName()}" ALLOW_CONNECTIONS false`);
    try {
      await terminateBackends();
      const deadline = Date.now() + 10_000;
      let h = await health();
      while (h.body.status !== "degraded" && Date.now() < deadline) h = await health();
      expect(h).toMatchObject({ status: 503, body: { status: "degraded" } });
      // A write meanwhile fails fast with 503 instead of hanging.
      const t = await post(JSON.stringify({ batchId: "while-down", ops: [{ assign: "down/x", value: 1 }] }));
      expect(t.status).toBe(503);
      expect(t.ms).toBeLessThan(10_000);
    } finally {
      await admin.unsafe(`ALTER DATABASE "${databaseName()}" ALLOW_CONNECTIONS true`);
    }
    const deadline = Date.now() + 10_000;
    let h = await health();
    while (h.body.status !== "ok" && Date.now() < deadline) h = await health();
    expect(h).toMatchObject({ status: 200, body: { status: "ok" } });
    const single: Timed[] = [];
    await sendWithRetries(JSON.stringify({ batchId: "while-down", ops: [{ assign: "down/x", value: 1 }] }), single);
  }, 60_000);

  test("the server still shuts down cleanly after the faults", async () => {
    const started = Date.now();
    expect(await server.terminate()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    await server.restart();
  }, 60_000);
});
