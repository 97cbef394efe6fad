import { RawConnection, requestHead } from "./raw-http";
import { prng, summarize, type LatencySummary } from "../harness/stats";

/** What every request loop reports. */
export type LoopResult = {
  requests: number;
  points: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  latency: LatencySummary;
};

type Target = { port: number; key: string };

/** One ops request appending `points` float points with explicit steps from `firstStep`. */
function appendBody(batchId: string, path: string, firstStep: number, points: number, random: () => number): string {
  let body = `{"batchId":"${batchId}","ops":[{"append":${JSON.stringify(path)},"points":[`;
  for (let i = 0; i < points; i++) {
    if (i > 0) body += ",";
    body += `{"step":${firstStep + i},"value":${random()}}`;
  }
  return body + "]}]}";
}

/** A request ready to write, and how many points it carries. */
type Prepared = { bytes: Buffer; points: number };

function opsRequest(t: Target, runId: string, body: string, points: number): Prepared {
  const bytes = Buffer.from(body);
  return { bytes: Buffer.concat([Buffer.from(requestHead("POST", `/api/v1/runs/${runId}/ops`, t.port, t.key, bytes.length)), bytes]), points };
}

/** Sends prepared requests one after another on one connection; stops at the deadline. */
async function sendAll(conn: RawConnection, requests: Prepared[], deadline: number, out: { lat: number[]; errors: number; firstError: string | null; points: number }) {
  for (const r of requests) {
    if (performance.now() > deadline) break;
    const t0 = performance.now();
    try {
      const res = await conn.request(r.bytes);
      out.lat.push(performance.now() - t0);
      if (res.status === 200) out.points += r.points;
      else {
        out.errors++;
        out.firstError ??= `${res.status} ${res.body.toString().slice(0, 300)}`;
      }
    } catch (error) {
      out.errors++;
      out.firstError ??= String(error);
    }
  }
}

// Requests built by prepare*(), waiting for runPrepared(): the clock (and the CPU meter
// in the orchestrator) covers only the sending, not the building of 100 MB of JSON.
let prepared: Prepared[][] | null = null;

/**
 * Bulk ingestion: each writer appends `requestsPerWriter` batches of `pointsPerRequest` points
 * to its own run (steps from 0), one request at a time.
 */
export async function prepareIngest(a: Target & { runIds: string[]; path: string; requestsPerWriter: number; pointsPerRequest: number; seed: number }): Promise<{ requests: number; bytes: number }> {
  const random = prng(a.seed);
  const requests = a.runIds.map((runId, w) =>
    Array.from({ length: a.requestsPerWriter }, (_, r) =>
      opsRequest(a, runId, appendBody(`bulk-${w}-${r}`, a.path, r * a.pointsPerRequest, a.pointsPerRequest, random), a.pointsPerRequest)));
  prepared = requests;
  return { requests: requests.flat().length, bytes: requests.flat().reduce((n, r) => n + r.bytes.length, 0) };
}

/**
 * One long series: `total` points in batches of `batch` for one run, strictly one request
 * after another (a series' steps must arrive in order).
 */
export async function prepareSeed(a: Target & { runId: string; path: string; total: number; batch: number; seed: number }): Promise<{ requests: number; bytes: number }> {
  const random = prng(a.seed);
  const list: Prepared[] = [];
  for (let first = 0; first < a.total; first += a.batch) {
    const n = Math.min(a.batch, a.total - first);
    list.push(opsRequest(a, a.runId, appendBody(`seed-${first}`, a.path, first, n, random), n));
  }
  prepared = [list];
  return { requests: list.length, bytes: list.reduce((n, r) => n + r.bytes.length, 0) };
}

/** Sends what was prepared: writers concurrently, each writer's requests in order. */
export async function runPrepared(a: { port: number; timeLimitMs: number }): Promise<LoopResult> {
  if (!prepared) throw new Error("nothing prepared");
  const requests = prepared;
  prepared = null;
  const out = { lat: [] as number[], errors: 0, firstError: null as string | null, points: 0 };
  const conns = requests.map(() => new RawConnection(a.port));
  const t0 = performance.now();
  await Promise.all(conns.map((c, w) => sendAll(c, requests[w], t0 + a.timeLimitMs, out)));
  const elapsedMs = performance.now() - t0;
  conns.forEach((c) => c.close());
  return { requests: out.lat.length, points: out.points, errors: out.errors, firstError: out.firstError, elapsedMs, latency: summarize(out.lat) };
}

/**
 * Many small writers: `writers` connections, writer i appending one point per request to
 * runIds[i % runIds.length] (give each writer its own run so steps stay ordered). After a
 * warm-up, `reps` phases of `durationMs` each; a phase ends when its last response arrives.
 */
export async function smallRequests(a: Target & { runIds: string[]; writers: number; path: string; warmupMs: number; durationMs: number; reps: number; maxRequestsPerRep: number }): Promise<LoopResult[]> {
  const conns = Array.from({ length: a.writers }, () => new RawConnection(a.port));
  const heads = conns.map((_, w) => `POST /api/v1/runs/${a.runIds[w % a.runIds.length]}/ops HTTP/1.1\r\nHost: 127.0.0.1:${a.port}\r\nAuthorization: Bearer ${a.key}\r\nContent-Type: application/json\r\nContent-Length: `);
  const steps = new Array<number>(a.writers).fill(0);
  const pathJson = JSON.stringify(a.path);

  const phase = async (durationMs: number, maxRequests: number): Promise<LoopResult> => {
    const lat: number[] = [];
    const out = { errors: 0, firstError: null as string | null };
    let sent = 0;
    const t0 = performance.now();
    const end = t0 + durationMs;
    await Promise.all(conns.map(async (conn, w) => {
      while (performance.now() < end && sent < maxRequests) {
        sent++;
        const step = steps[w]++;
        const body = `{"batchId":"s${w}-${step}","ops":[{"append":${pathJson},"points":[{"step":${step},"value":${step % 97 / 97}}]}]}`;
        const s = performance.now();
        try {
          const res = await conn.request(`${heads[w]}${Buffer.byteLength(body)}\r\n\r\n${body}`);
          lat.push(performance.now() - s);
          if (res.status !== 200) {
            out.errors++;
            out.firstError ??= `${res.status} ${res.body.toString().slice(0, 300)}`;
          }
        } catch (error) {
          out.errors++;
          out.firstError ??= String(error);
        }
      }
    }));
    const elapsedMs = performance.now() - t0;
    return { requests: lat.length, points: lat.length - out.errors, errors: out.errors, firstError: out.firstError, elapsedMs, latency: summarize(lat) };
  };

  if (a.warmupMs > 0) await phase(a.warmupMs, a.maxRequestsPerRep);
  const results: LoopResult[] = [];
  for (let r = 0; r < a.reps; r++) results.push(await phase(a.durationMs, a.maxRequestsPerRep));
  conns.forEach((c) => c.close());
  return results;
}

/** GETs `paths` one after another; returns each latency, and the bodies asked for by index. */
export async function getSequential(a: Target & { paths: string[]; keepBodies: number[]; timeLimitMs: number }): Promise<{ latencies: number[]; statuses: number[]; bytes: number; bodies: Record<number, string> }> {
  const conn = new RawConnection(a.port);
  const latencies: number[] = [];
  const statuses: number[] = [];
  const bodies: Record<number, string> = {};
  const keep = new Set(a.keepBodies);
  let bytes = 0;
  const deadline = performance.now() + a.timeLimitMs;
  for (let i = 0; i < a.paths.length && performance.now() < deadline; i++) {
    const t0 = performance.now();
    const res = await conn.request(requestHead("GET", a.paths[i], a.port, a.key));
    latencies.push(performance.now() - t0);
    statuses.push(res.status);
    bytes += res.body.length;
    if (keep.has(i) || res.status !== 200) bodies[i] = res.body.toString();
  }
  conn.close();
  return { latencies, statuses, bytes, bodies };
}

export const jobs = { prepareIngest, prepareSeed, runPrepared, smallRequests, getSequential };
export type Jobs = typeof jobs;
