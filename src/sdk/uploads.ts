import { randomUUID } from "node:crypto";
import fs from "node:fs";
import nodePath from "node:path";
import type { Config } from "./config";
import { CairnHttpError, type FailureLog } from "./errors";
import type { PathRegistry } from "./paths";
import type { Sleeper } from "./sleeper";
import { encodePath, type HttpRequest, type Transport } from "./transport";

/** Options of Run.upload. Giving step, name or description appends to a file series instead of setting a file. */
export type UploadOptions = {
  step?: number;
  name?: string;
  description?: string;
  /** Default: guessed from the file extension, else application/octet-stream. */
  contentType?: string;
};

/** A file on disk (streamed when sent) or bytes (copied at the call, so you may reuse the buffer). */
export type UploadSource = string | Uint8Array;

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".txt": "text/plain",
  ".log": "text/plain",
  ".csv": "text/csv",
  ".html": "text/html",
  ".md": "text/markdown",
  ".yaml": "application/yaml",
  ".yml": "application/yaml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
};

type Job = { what: string; request: HttpRequest; size: number; changed: () => string | null };

/**
 * Uploads of one run, sent one after another beside the ops requests (a big file must not hold
 * metrics back). Each is retried like any request, then given up and recorded as a failure.
 */
export class Uploads {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly runPath: string,
    private readonly paths: PathRegistry,
    private readonly cfg: Config,
    private readonly sleeper: Sleeper,
    private readonly failures: FailureLog,
  ) {}

  enqueue(path: string, source: UploadSource, opts: UploadOptions = {}): void {
    if (this.closed) throw new Error("Cairn: the run is finished; nothing more can be uploaded to it");
    const { step, name, description } = opts;
    const series = step !== undefined || name !== undefined || description !== undefined;
    const state = this.paths.claim(path, series ? "fileSeries" : "file");
    if (step !== undefined && !(typeof step === "number" && Number.isFinite(step) && step > state.last)) {
      throw new TypeError(`Cairn: upload "${path}": step must be a finite number greater than the previous step, got ${String(step)}`);
    }
    for (const [key, value] of [["name", name], ["description", description], ["contentType", opts.contentType]]) {
      if (value !== undefined && typeof value !== "string") throw new TypeError(`Cairn: upload "${path}": ${key} must be a string`);
    }
    const query = new URLSearchParams();
    if (step !== undefined) query.set("step", String(step));
    if (name !== undefined) query.set("name", name);
    if (description !== undefined) query.set("description", description);
    const job = this.job(path, source, opts.contentType, query.size > 0 ? `?${query}` : "");
    if (step !== undefined) state.last = step;
    this.tail = this.tail.then(() => this.send(job));
  }

  /** Resolves when every upload enqueued so far has been sent or given up; never rejects. */
  idle(): Promise<void> {
    return this.tail;
  }

  close(): void {
    this.closed = true;
  }

  private job(path: string, source: UploadSource, contentType: string | undefined, query: string): Job {
    const what = `upload "${path}"`;
    const headers: Record<string, string> = {
      // Appending to a file series is not idempotent by itself: a retry after a lost answer must be recognisable.
      "idempotency-key": randomUUID(),
    };
    const base = { method: "PUT" as const, path: `${this.runPath}/files/${encodePath(path)}${query}`, headers };
    if (typeof source === "string") {
      const stat = statFile(source, what);
      headers["content-length"] = String(stat.size);
      return {
        what,
        size: stat.size,
        request: {
          ...base,
          contentType: contentType ?? guessType(source),
          body: () => fs.createReadStream(source),
          timeoutMs: this.timeoutFor(stat.size),
        },
        // Files are read when sent, so one rewritten in between (a checkpoint saved each epoch) would upload other bytes.
        changed: () => {
          const now = fs.statSync(source, { throwIfNoEntry: false });
          return now && now.size === stat.size && now.mtimeMs === stat.mtimeMs ? null : `${source} changed or vanished after upload() was called`;
        },
      };
    }
    if (!(source instanceof Uint8Array)) throw new TypeError(`Cairn: ${what}: source must be a file path, a Buffer or a Uint8Array`);
    const bytes = new Uint8Array(source);
    return {
      what,
      size: bytes.length,
      request: { ...base, contentType: contentType ?? guessType(path), body: bytes, timeoutMs: this.timeoutFor(bytes.length) },
      changed: () => null,
    };
  }

  // A large file needs more than one request's usual time: allow about 1 MiB/s on top.
  private timeoutFor(size: number): number {
    return this.cfg.requestTimeoutMs + Math.ceil(size / 1024);
  }

  private async send(job: Job): Promise<void> {
    try {
      const problem = job.changed();
      if (problem !== null) {
        this.failures.add({ status: 0, code: "file_changed", message: problem, what: job.what });
        return;
      }
      const { json } = await this.transport.call(job.request, job.what, this.sleeper.sleep);
      const size = (json as { size?: unknown } | null)?.size;
      if (typeof size === "number" && size !== job.size) {
        this.failures.add({ status: 0, code: "size_mismatch", message: `server stored ${size} bytes of ${job.size}`, what: job.what });
      }
    } catch (err) {
      const e = err instanceof CairnHttpError ? err : new CairnHttpError(0, "internal", String(err), job.what);
      this.failures.add({ status: e.status, code: e.code, message: e.detail, what: job.what });
    }
  }
}

function statFile(file: string, what: string): fs.Stats {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new TypeError(`Cairn: ${what}: ${file} is not a readable file`);
  return stat;
}

function guessType(name: string): string {
  return CONTENT_TYPES[nodePath.extname(name).toLowerCase()] ?? "application/octet-stream";
}
