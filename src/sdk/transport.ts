import { CairnHttpError } from "./errors";
import type { Config } from "./config";

export type HttpRequest = {
  method: "GET" | "POST" | "PUT";
  /** Path below the server URL, already encoded. */
  path: string;
  /** A factory for bodies that can be read only once (file streams): called per attempt. */
  body?: string | Uint8Array | (() => AsyncIterable<Uint8Array>);
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
};

/** One attempt's result; attempt() never throws, so callers decide about retrying in one place. */
export type Outcome =
  | { kind: "ok"; status: number; json: unknown }
  | { kind: "retry"; reason: string; retryAfterMs: number | null }
  | { kind: "fail"; status: number; code: string; message: string };

type RetryConfig = Pick<Config, "retryBaseMs" | "retryMaxDelayMs" | "maxRetryMs">;

/** Exponential backoff with jitter, so many clients recovering from one outage do not retry in step. */
export function backoffMs(attempt: number, cfg: RetryConfig): number {
  const ceiling = Math.min(cfg.retryMaxDelayMs, cfg.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  return ceiling * (0.5 + Math.random() / 2);
}

const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (Number.isNaN(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function parseError(status: number, text: string): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body?.error && typeof body.error.message === "string") {
      return { code: String(body.error.code ?? `http_${status}`), message: body.error.message };
    }
  } catch {
    // Not our JSON error shape (a proxy's HTML page, say): fall through to the raw text.
  }
  return { code: `http_${status}`, message: text.trim().slice(0, 300) || `HTTP ${status}` };
}

function networkReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "request timed out";
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

// 408 and 429 ask to come back later; 5xx is the server or a proxy failing, not the request.
const isTransient = (status: number) => status === 408 || status === 429 || status >= 500;

/** The HTTP client of one run: bearer auth, JSON errors, and the retry rules. */
export class Transport {
  constructor(private readonly cfg: Config) {}

  async attempt(req: HttpRequest): Promise<Outcome> {
    let res: Response;
    let text: string;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.cfg.apiKey}`, ...req.headers };
      if (req.contentType) headers["content-type"] = req.contentType;
      const body = typeof req.body === "function" ? req.body() : req.body;
      // duplex is required by Node's fetch for streamed bodies and missing from the DOM types.
      const init = {
        method: req.method,
        headers,
        body,
        duplex: "half",
        signal: AbortSignal.timeout(req.timeoutMs ?? this.cfg.requestTimeoutMs),
      };
      res = await this.cfg.fetch(this.cfg.url + req.path, init as unknown as RequestInit);
      text = await res.text();
    } catch (err) {
      return { kind: "retry", reason: networkReason(err), retryAfterMs: null };
    }
    if (res.ok) {
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { kind: "ok", status: res.status, json };
    }
    const { code, message } = parseError(res.status, text);
    if (isTransient(res.status)) {
      return {
        kind: "retry",
        reason: `${res.status} ${message}`,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      };
    }
    return { kind: "fail", status: res.status, code, message };
  }

  /** Retries until success, a permanent error, or maxRetryMs; then throws CairnHttpError naming `what`. */
  async call(req: HttpRequest, what: string, sleep: (ms: number) => Promise<void>): Promise<{ status: number; json: unknown }> {
    const start = Date.now();
    for (let attempt = 1; ; attempt++) {
      const out = await this.attempt(req);
      if (out.kind === "ok") return out;
      if (out.kind === "fail") throw new CairnHttpError(out.status, out.code, out.message, what);
      const delay = out.retryAfterMs ?? backoffMs(attempt, this.cfg);
      const spent = Date.now() - start;
      if (spent + delay > this.cfg.maxRetryMs) {
        const s = Math.round(spent / 100) / 10;
        throw new CairnHttpError(0, "unreachable", `gave up after ${s}s of retrying (last: ${out.reason})`, what);
      }
      await sleep(delay);
    }
  }
}

/** Encodes a field path for a URL: each segment on its own, so "/" stays a separator. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
