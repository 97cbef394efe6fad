import { randomUUID } from "node:crypto";
import { describeBatch, makeBatch, splitBatch, type Batch } from "./batch";
import type { Config } from "./config";
import type { FailureLog } from "./errors";
import type { OpQueue } from "./queue";
import type { Sleeper } from "./sleeper";
import { backoffMs, type Outcome, type Transport } from "./transport";

// Statuses where a single operation may be at fault: sending each half on its own isolates
// it, so one bad operation does not cost the rest of the request.
const SPLITTABLE = new Set([400, 409, 413, 422]);

type Waiter = { target: number; resolve: (unsent: string | null) => void };

/**
 * The background loop of a run: takes batches from the queue by size and age and sends them
 * one at a time, in order. Transient failures are retried forever with the same batch (the
 * server drops a batchId it has already applied); waiting callers are released once the
 * failures have lasted maxRetryMs. Refused batches are recorded in the failure log.
 */
export class Sender {
  /** Built, not yet acknowledged, in order; [0] is the one being sent. */
  private readonly batches: Batch[] = [];
  private waiters: Waiter[] = [];
  private attempts = 0;
  private failingSince: number | null = null;
  private lastProblem = "";
  private stalled = false;
  private cancelStall: (() => void) | null = null;
  private urgent = false;
  private wakeLoop: (() => void) | null = null;
  private backingOff = false;

  constructor(
    private readonly queue: OpQueue,
    private readonly transport: Transport,
    private readonly opsPath: string,
    private readonly cfg: Config,
    private readonly sleeper: Sleeper,
    private readonly failures: FailureLog,
  ) {
    queue.onFirst = () => this.wake(false);
    queue.onFull = () => this.wake(false);
    void this.loop();
  }

  /**
   * Resolves once everything queued before the call is acknowledged or refused: with null, or
   * with a description of what is still unsent when the server has been unreachable too long.
   */
  drain(): Promise<string | null> {
    this.queue.seal();
    const target = this.queue.lastSeq;
    if (this.lowestPending() > target) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiters.push({ target, resolve });
      // After a stall, each drain is worth one immediate attempt: the server may be back.
      this.wake(this.stalled);
    });
  }

  /** Sends what is queued without waiting for the flush interval; used when the process is about to exit. */
  sendNow(): void {
    this.urgent = true;
    this.wake(false);
  }

  get idle(): boolean {
    return this.lowestPending() === Infinity;
  }

  private async loop(): Promise<void> {
    for (;;) {
      try {
        await this.step();
      } catch (err) {
        // A bug here must neither reach the user's process as an unhandled rejection nor spin.
        const batch = this.batches.shift();
        const what = batch ? describeBatch(batch) : "queued data";
        this.failures.add({ status: 0, code: "internal", message: String(err), what });
        this.settle();
        await this.pause(this.cfg.retryMaxDelayMs, false);
      }
    }
  }

  private async step(): Promise<void> {
    if (this.batches.length === 0) {
      const wait = this.dueIn();
      if (wait > 0) {
        this.settle();
        return this.pause(wait, false);
      }
      const taken = this.queue.take(this.cfg.maxBatchPoints, this.cfg.maxBatchBytes);
      if (taken === null) return;
      this.batches.push(makeBatch(randomUUID(), taken.ops, taken.firstSeq));
    }
    const batch = this.batches[0];
    const out = await this.transport.attempt({
      method: "POST",
      path: this.opsPath,
      body: batch.body,
      contentType: "application/json",
    });
    if (out.kind === "retry") return this.retryLater(out);
    this.recovered();
    if (out.kind === "ok") {
      this.batches.shift();
    } else {
      const halves = SPLITTABLE.has(out.status) ? splitBatch(batch) : null;
      if (halves) this.batches.splice(0, 1, ...halves);
      else {
        this.batches.shift();
        this.failures.add({ status: out.status, code: out.code, message: out.message, what: describeBatch(batch) });
      }
    }
    this.settle();
  }

  /** ms until the queue is due to be sent; Infinity when there is nothing to send. */
  private dueIn(): number {
    if (this.queue.size === 0) return Infinity;
    if (this.urgent || this.waiters.length > 0 || this.queue.size >= this.cfg.maxBatchPoints) return 0;
    return Math.max(0, this.queue.firstAt + this.cfg.flushIntervalMs - Date.now());
  }

  private retryLater(out: Extract<Outcome, { kind: "retry" }>): Promise<void> {
    this.attempts++;
    this.lastProblem = out.reason;
    if (this.failingSince === null) {
      this.failingSince = Date.now();
      this.cancelStall = this.sleeper.timer(this.cfg.maxRetryMs, () => {
        this.stalled = true;
        this.releaseWaiters();
      });
    }
    if (this.stalled) this.releaseWaiters();
    return this.pause(out.retryAfterMs ?? backoffMs(this.attempts, this.cfg), true);
  }

  private recovered(): void {
    this.attempts = 0;
    this.failingSince = null;
    this.stalled = false;
    this.cancelStall?.();
    this.cancelStall = null;
  }

  private lowestPending(): number {
    return this.batches.length > 0 ? this.batches[0].firstSeq : this.queue.headSeq;
  }

  /** Resolves the waiters whose data has all been acknowledged or refused. */
  private settle(): void {
    const low = this.lowestPending();
    if (low === Infinity) this.urgent = false;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.target < low) w.resolve(null);
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Gives up waiting on behalf of callers; the data stays queued and retrying goes on. */
  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    let items = this.queue.size;
    for (const b of this.batches) items += b.items;
    const seconds = Math.round((Date.now() - (this.failingSince ?? Date.now())) / 1000);
    const names = this.queue.seriesNames();
    const unsent = `${items} points/operations${names ? ` (series ${names})` : ""}: ` +
      `the server has been unreachable for ${seconds}s (last: ${this.lastProblem}); still retrying in the background`;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(unsent);
  }

  private pause(ms: number, backoff: boolean): Promise<void> {
    return new Promise((resolve) => {
      let cancel = () => {};
      const done = () => {
        cancel();
        this.wakeLoop = null;
        resolve();
      };
      if (ms !== Infinity) cancel = this.sleeper.timer(ms, done);
      this.backingOff = backoff;
      this.wakeLoop = done;
    });
  }

  /** Cuts a pause short; a backoff only when forced, so new data does not hammer a failing server. */
  private wake(force: boolean): void {
    if (this.wakeLoop !== null && (force || !this.backingOff)) this.wakeLoop();
  }
}
