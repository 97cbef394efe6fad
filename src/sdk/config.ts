import { MAX_POINTS_PER_REQUEST, MAX_REQUEST_BYTES } from "../contracts/ops";
import type { AtomValue } from "../contracts/runs";

/** Knobs of the background sender; the defaults suit a training script on a LAN or the internet. */
export type Tuning = {
  /** Longest time a logged value waits before it is sent (ms). Default 250. */
  flushIntervalMs: number;
  /** Points (and other operations) per request. Default 20,000; the server takes at most 100,000. */
  maxBatchPoints: number;
  /** Approximate JSON characters per request. Default 4 MiB; at most 5 MiB, so even all-non-ASCII text stays under the server's 16 MiB. */
  maxBatchBytes: number;
  /** How long the SDK keeps retrying before flush()/finish()/init() give up (ms). Default 5 minutes. */
  maxRetryMs: number;
  /** First retry delay (ms); doubles per attempt, with jitter. Default 250. */
  retryBaseMs: number;
  /** Longest delay between retries (ms). Default 10,000. */
  retryMaxDelayMs: number;
  /** Time allowed for one request (ms); uploads get extra time per MiB. Default 60,000. */
  requestTimeoutMs: number;
};

const MiB = 1024 * 1024;

export const DEFAULT_TUNING: Tuning = {
  flushIntervalMs: 250,
  maxBatchPoints: 20_000,
  maxBatchBytes: 4 * MiB,
  maxRetryMs: 5 * 60_000,
  retryBaseMs: 250,
  retryMaxDelayMs: 10_000,
  requestTimeoutMs: 60_000,
};

const LIMITS: Record<keyof Tuning, [min: number, max: number]> = {
  flushIntervalMs: [0, 24 * 3600_000],
  maxBatchPoints: [1, MAX_POINTS_PER_REQUEST],
  // Batches are measured in UTF-16 units, which take up to 3 bytes each in UTF-8.
  maxBatchBytes: [1024, Math.floor(MAX_REQUEST_BYTES / 3 / MiB) * MiB],
  maxRetryMs: [0, 7 * 24 * 3600_000],
  retryBaseMs: [0, 3600_000],
  retryMaxDelayMs: [0, 3600_000],
  requestTimeoutMs: [1, 24 * 3600_000],
};

/** A field value: an atom, or a Date (stored as a datetime). */
export type FieldValue = AtomValue | Date;

/** Options of init(); anything left out comes from CAIRN_URL / CAIRN_API_KEY, then the defaults. */
export type InitOptions = Partial<Tuning> & {
  /** API key; default `CAIRN_API_KEY`. */
  apiKey?: string;
  /** Server base URL, e.g. `https://cairn.example.com`; default `CAIRN_URL`. */
  url?: string;
  /** Your id for the run: init() with the same customId resumes that run instead of creating one. */
  customId?: string;
  name?: string;
  description?: string;
  tags?: string[];
  /** Initial fields, e.g. `{ "params/lr": 0.001 }`. */
  fields?: Record<string, FieldValue>;
  /** fetch to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
};

export type Config = Tuning & {
  url: string;
  apiKey: string;
  workspace: string;
  project: string;
  fetch: typeof fetch;
};

/** Resolves init()'s arguments against the environment once; nothing else reads process.env. */
export function resolveConfig(project: string | undefined, options: InitOptions, env: Record<string, string | undefined>): Config {
  const url = options.url ?? env.CAIRN_URL;
  const apiKey = options.apiKey ?? env.CAIRN_API_KEY;
  const target = project ?? env.CAIRN_PROJECT;
  if (!url) throw new TypeError("Cairn: no server URL: pass { url } or set CAIRN_URL");
  if (!apiKey) throw new TypeError("Cairn: no API key: pass { apiKey } or set CAIRN_API_KEY");
  if (!target) throw new TypeError('Cairn: no project: pass "workspace/project" or set CAIRN_PROJECT');
  const parts = target.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new TypeError(`Cairn: project must be "workspace/project", got "${target}"`);
  }
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TypeError(`Cairn: server URL "${url}" is not a URL`);
  }
  const tuning = { ...DEFAULT_TUNING };
  for (const key of Object.keys(LIMITS) as (keyof Tuning)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const [min, max] = LIMITS[key];
    if (typeof value !== "number" || !(value >= min && value <= max)) {
      throw new TypeError(`Cairn: ${key} must be a number from ${min} to ${max}, got ${String(value)}`);
    }
    tuning[key] = value;
  }
  return {
    ...tuning,
    url: base.href.replace(/\/+$/, ""),
    apiKey,
    workspace: parts[0],
    project: parts[1],
    fetch: options.fetch ?? globalThis.fetch,
  };
}
