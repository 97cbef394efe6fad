import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { MAX_REQUEST_BYTES } from "@/contracts/ops";
import type { Services } from "@/server/services/context";
import { createRun } from "@/server/services/runs/create-run";
import { finishRun } from "@/server/services/runs/finish-run";
import { getRun } from "@/server/services/runs/get-run";
import { queryRuns } from "@/server/services/runs/query/query-runs";
import { submitOps } from "@/server/services/ingest/submit-ops";
import { readSeries } from "@/server/services/series/read-series";
import { putFile } from "@/server/services/files/put-file";
import { readFile } from "@/server/services/files/read-file";
import { textProblem } from "@/contracts/text";
import { invalid } from "@/server/errors";
import { checkHealth } from "@/server/services/health/check-health";
import { readJson, sendJson } from "./http-io";
import { requestActor } from "./request-actor";

export type RouteInput = {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  services: Services;
  version: string;
};

export type Route = { method: string; pattern: RegExp; handle: (r: RouteInput) => Promise<void> };

const SEG = "([^/]+)";
const REST = "(.+)";
const route = (method: string, path: string, handle: Route["handle"]): Route => ({
  method, pattern: new RegExp(`^/api/v1${path}$`), handle,
});

async function ctxOf(r: RouteInput) {
  return { ...r.services, actor: await requestActor(r.services, r.req, r.query) };
}

/** One percent-decoded URL segment; malformed encoding or text the database cannot hold is a 400 naming it. */
function segment(raw: string, where: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw invalid("is not valid percent-encoding", where);
  }
  const problem = textProblem(decoded);
  if (problem) throw invalid(problem, where);
  return decoded;
}

/** A field path from the URL: each segment percent-decoded, then joined by "/". */
function fieldPath(raw: string): string {
  return raw.split("/").map((s) => segment(s, "path")).join("/");
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Query parameters, checked before any service sees them: text the database can hold, and the
 * numeric ones in plain decimal (Number() would also read "0x10" as 16, "1e3" and "" as numbers).
 */
function queryOf(q: URLSearchParams, numeric: string[]): URLSearchParams {
  for (const [name, value] of q) {
    const problem = textProblem(value);
    if (problem) throw invalid(problem, `?${name}`);
    if (numeric.includes(name) && !(DECIMAL.test(value) && Number.isFinite(Number(value)))) {
      throw invalid(`must be a decimal number such as 3 or -1.5, not ${JSON.stringify(value.slice(0, 40))}`, `?${name}`);
    }
  }
  return q;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const routes: Route[] = [
  route("GET", "/health", async (r) => {
    const health = await checkHealth(r.services, r.version);
    sendJson(r.res, health.status === "ok" ? 200 : 503, health);
  }),

  route("POST", `/projects/${SEG}/${SEG}/runs`, async (r) => {
    const ctx = await ctxOf(r);
    const body = await readJson(r.req, 1024 * 1024);
    const { run, created } = await createRun(ctx, { workspace: segment(r.params[0], "workspace"), project: segment(r.params[1], "project"), body });
    sendJson(r.res, created ? 201 : 200, run);
  }),

  route("POST", `/runs/${SEG}/ops`, async (r) => {
    const ctx = await ctxOf(r);
    const body = await readJson(r.req, MAX_REQUEST_BYTES);
    sendJson(r.res, 200, await submitOps(ctx, { runId: r.params[0], body }));
  }),

  route("POST", `/runs/${SEG}/finish`, async (r) => {
    const ctx = await ctxOf(r);
    const body = await readJson(r.req, 64 * 1024);
    sendJson(r.res, 200, await finishRun(ctx, { runId: r.params[0], body }));
  }),

  route("GET", `/runs/${SEG}`, async (r) => {
    const ctx = await ctxOf(r);
    sendJson(r.res, 200, await getRun(ctx, { runId: r.params[0] }));
  }),

  route("GET", `/runs/${SEG}/series/${REST}`, async (r) => {
    const ctx = await ctxOf(r);
    const query = Object.fromEntries(queryOf(r.query, ["maxPoints", "fromStep", "toStep"]).entries());
    sendJson(r.res, 200, await readSeries(ctx, { runId: r.params[0], path: fieldPath(r.params[1]), query }));
  }),

  route("PUT", `/runs/${SEG}/files/${REST}`, async (r) => {
    const ctx = await ctxOf(r);
    const q = queryOf(r.query, ["step"]);
    const isSeries = q.has("step") || q.has("name") || q.has("description");
    const stored = await putFile(ctx, {
      runId: r.params[0],
      path: fieldPath(r.params[1]),
      body: r.req,
      contentType: r.req.headers["content-type"],
      idempotencyKey: header(r.req.headers["idempotency-key"]),
      series: isSeries ? { step: q.get("step") ?? undefined, name: q.get("name") ?? undefined, description: q.get("description") ?? undefined } : undefined,
    });
    sendJson(r.res, 201, stored);
  }),

  route("GET", `/runs/${SEG}/files/${REST}`, async (r) => {
    const ctx = await ctxOf(r);
    const step = queryOf(r.query, ["step"]).get("step") ?? undefined;
    const file = await readFile(ctx, { runId: r.params[0], path: fieldPath(r.params[1]), step });
    r.res.writeHead(200, {
      "content-type": file.contentType,
      "content-length": file.size,
      etag: `"${file.sha256}"`,
      "x-content-sha256": file.sha256,
      // Stored files are user content: never let a browser run them as this origin's pages.
      "content-security-policy": "sandbox",
      "x-content-type-options": "nosniff",
    });
    await pipeline(file.body, r.res);
  }),

  // Scripts' search: POST so the query, columns and cursor travel in a JSON body.
  route("POST", `/projects/${SEG}/${SEG}/runs/query`, async (r) => {
    const ctx = await ctxOf(r);
    const body = await readJson(r.req, 256 * 1024);
    sendJson(r.res, 200, await queryRuns(ctx, { workspace: segment(r.params[0], "workspace"), project: segment(r.params[1], "project"), body }));
  }),
];
