import type { FinalState } from "../contracts/runs";
import type { Config, FieldValue } from "./config";
import { CairnSendError, FailureLog } from "./errors";
import { onBeforeExit } from "./exit-hooks";
import { PathRegistry } from "./paths";
import { OpQueue, type AppendOptions } from "./queue";
import { Sender } from "./sender";
import { Sleeper } from "./sleeper";
import type { Transport } from "./transport";
import { Uploads, type UploadOptions, type UploadSource } from "./uploads";

const FINAL_STATES: readonly string[] = ["succeeded", "failed", "aborted"];

/** What the server answered when the run was created or resumed. */
export type CreatedRun = { id: string; key: string; url: string; resumed: boolean };

/**
 * A run being logged. Logging methods return at once: values are queued and sent in the
 * background. Invalid arguments (bad path, wrong value type, a step that does not increase,
 * a path used as two kinds) throw a TypeError at the call. What the server refuses surfaces
 * in flush() and finish().
 */
export class Run {
  /** Server id of the run. */
  readonly id: string;
  /** Human key, e.g. "CV-12". */
  readonly key: string;
  /** Link to the run in the web app. */
  readonly url: string;
  /** True when init() found an existing run with the same customId. */
  readonly resumed: boolean;

  private readonly sleeper = new Sleeper();
  private readonly failures = new FailureLog();
  private readonly queue: OpQueue;
  private readonly sender: Sender;
  private readonly uploads: Uploads;
  private readonly runPath: string;
  private finishing: Promise<void> | null = null;
  private finished = false;
  private readonly unhookExit: () => void;

  /** Use init(); the constructor is not part of the API. */
  constructor(created: CreatedRun, private readonly transport: Transport, cfg: Config) {
    this.id = created.id;
    this.key = created.key;
    this.url = created.url;
    this.resumed = created.resumed;
    this.runPath = `/api/v1/runs/${encodeURIComponent(created.id)}`;
    const paths = new PathRegistry();
    this.queue = new OpQueue(paths, cfg.maxBatchPoints);
    this.sender = new Sender(this.queue, transport, `${this.runPath}/ops`, cfg, this.sleeper, this.failures);
    this.uploads = new Uploads(transport, this.runPath, paths, cfg, this.sleeper, this.failures);
    let exitTried = false;
    // A script that forgets finish() still gets its data sent: one try when Node is about to
    // exit. Retries sleep on unref'd timers, so a dead server cannot keep the process alive.
    this.unhookExit = onBeforeExit(() => {
      if (exitTried || this.sender.idle) return;
      exitTried = true;
      this.sender.sendNow();
    });
  }

  /** Sets a field: a number, string, boolean, null, or a Date (stored as a datetime). */
  assign(path: string, value: FieldValue): void {
    this.queue.assign(path, value);
  }

  /** Appends a point to a float series (numbers, NaN and ±Infinity included) or a string series. */
  append(path: string, value: number | string, opts?: AppendOptions): void {
    this.queue.append(path, value, opts);
  }

  /**
   * Uploads a file (a path on disk, streamed when sent; don't rewrite it until flush()) or bytes.
   * With step, name or description it appends to a file series.
   */
  upload(path: string, source: UploadSource, opts?: UploadOptions): void {
    this.uploads.enqueue(path, source, opts);
  }

  addTags(...tags: string[]): void {
    this.queue.tags("addTags", tags);
  }

  removeTags(...tags: string[]): void {
    this.queue.tags("removeTags", tags);
  }

  /**
   * Resolves when everything logged before the call is acknowledged. Rejects with a
   * CairnSendError when the server refused some of it (each refusal is reported by one
   * flush), or when it has been unreachable for maxRetryMs (the data stays queued).
   */
  async flush(): Promise<void> {
    const release = this.sleeper.hold();
    try {
      const unsent = await this.sender.drain();
      await this.uploads.idle();
      const failures = this.failures.takeNew();
      if (failures.length > 0 || unsent !== null) throw new CairnSendError(failures, unsent);
    } finally {
      release();
    }
  }

  /**
   * Sends everything, then marks the run finished. Rejects if anything logged to the run was
   * refused (listing all of it; the run is still marked finished), or if the server stayed
   * unreachable (the run is then left running and finish() may be called again).
   */
  finish(state: FinalState = "succeeded"): Promise<void> {
    if (!FINAL_STATES.includes(state)) {
      return Promise.reject(new TypeError(`Cairn: finish state must be one of ${FINAL_STATES.join(", ")}, got ${String(state)}`));
    }
    if (this.finishing === null) {
      this.finishing = this.finishOnce(state);
      // Only an unreachable server leaves the run unfinished; then a later call tries again.
      this.finishing.catch(() => {
        if (!this.finished) this.finishing = null;
      });
    }
    return this.finishing;
  }

  private async finishOnce(state: FinalState): Promise<void> {
    this.queue.close();
    this.uploads.close();
    const release = this.sleeper.hold();
    try {
      const unsent = await this.sender.drain();
      await this.uploads.idle();
      if (unsent !== null) throw new CairnSendError(this.failures.all(), unsent, this.failures.omittedCount);
      await this.transport.call(
        { method: "POST", path: `${this.runPath}/finish`, body: JSON.stringify({ state }), contentType: "application/json" },
        "finish run",
        this.sleeper.sleep,
      );
      this.finished = true;
      this.unhookExit();
      const failures = this.failures.all();
      if (failures.length > 0) throw new CairnSendError(failures, null, this.failures.omittedCount);
    } finally {
      release();
    }
  }
}
