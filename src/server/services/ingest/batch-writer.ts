import type { Database } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { asUnavailable, isDatabaseUnavailable } from "@/server/db/unavailable";
import { applyGroup, type BatchOutcome, type PendingBatch } from "./apply-group";
import { SORT_REFRESH_MS, SortRefresh } from "./sort-refresh";

const PARALLEL_MIN_POINTS = 10_000;
const PARALLEL_MIN_BATCHES = 24;

type Waiting = PendingBatch & { resolve: (o: BatchOutcome) => void; reject: (e: unknown) => void };

export type BatchWriterOptions = {
  /** Transactions in flight at once (PGlite has one connection: 1). */
  concurrency: number;
  /** Upper bound of points in one group transaction. */
  maxGroupPoints: number;
  /** Points queued beyond which new requests are refused with 429. */
  maxQueuedPoints: number;
  onCommitted?: (outcomes: { pending: PendingBatch; outcome: BatchOutcome }[]) => void;
};

/**
 * Group commit: requests that arrive while a transaction is running wait in a queue and are
 * written together by the next one, so 50 concurrent one-point requests cost one commit
 * instead of fifty.
 */
export class BatchWriter {
  private queue: Waiting[] = [];
  private queuedPoints = 0;
  private running = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly sortRefresh = new SortRefresh();
  private readonly sortTimer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;

  constructor(private readonly database: Database, private readonly opts: BatchWriterOptions) {
    this.sortTimer = setInterval(() => void this.flushSortCopies(), SORT_REFRESH_MS);
    this.sortTimer.unref();
  }

  /** False when the queue is full: the caller answers 429 and the client retries later. */
  canAccept(points: number): boolean {
    return !this.closed && (this.queuedPoints === 0 || this.queuedPoints + points <= this.opts.maxQueuedPoints);
  }

  submit(p: PendingBatch): Promise<BatchOutcome> {
    if (this.closed) return Promise.reject(new AppError("rate_limited", "server is shutting down"));
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject });
      this.queuedPoints += p.batch.pointCount;
      this.pump();
    });
  }

  /** False while writes fail because the database cannot be reached. */
  healthy(): Promise<boolean> {
    return this.database.writerHealthy();
  }

  /** Stops taking batches and resolves once everything queued is committed. */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.running > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    clearInterval(this.sortTimer);
    await this.flushing;
    await this.flushSortCopies();
  }

  /** Brings the run table's sort copies of the series appended to in the last second up to date. */
  private flushSortCopies(): Promise<void> {
    // One flush at a time; a failed one keeps its series marked for the next.
    this.flushing ??= this.sortRefresh.flush(this.database).catch(() => {}).finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private pump() {
    // A group has a fixed cost (round trips, a commit), so a second group in parallel pays off
    // only once enough is waiting to share it: bulk points, or a few dozen small batches (then
    // two groups overlap, each one's round trips hiding the other's). Both thresholds were
    // measured with bench/ (docs/benchmarks.md): 8 or 12 batches made small requests slower.
    while (
      this.running < this.opts.concurrency && this.queue.length > 0 &&
      (this.running === 0 || this.queuedPoints >= PARALLEL_MIN_POINTS || this.queue.length >= PARALLEL_MIN_BATCHES)
    ) {
      const group = this.takeGroup();
      this.running++;
      void this.commit(group).finally(() => {
        this.running--;
        if (this.queue.length > 0) this.pump();
        else if (this.running === 0) this.idle.splice(0).forEach((f) => f());
      });
    }
  }

  private takeGroup(): Waiting[] {
    let points = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || points + this.queue[n].batch.pointCount <= this.opts.maxGroupPoints)) {
      points += this.queue[n].batch.pointCount;
      n++;
    }
    this.queuedPoints -= points;
    return this.queue.splice(0, n);
  }

  private async commit(group: Waiting[]) {
    try {
      const outcomes = await this.transact(group);
      group.forEach((w, i) => w.resolve(outcomes[i]));
      this.opts.onCommitted?.(group.map((w, i) => ({ pending: w, outcome: outcomes[i] })));
    } catch (error) {
      // The database is away: every batch of the group gets the 503 now (the clients resend
      // them with the same ids), rather than one slow retry after another.
      if (group.length === 1 || isDatabaseUnavailable(error)) {
        const reason = asUnavailable(error);
        for (const w of group) w.reject(reason);
        return;
      }
      // Something no plan foresaw failed the shared transaction: retry each batch alone so
      // only the batch at fault fails.
      for (const w of group) await this.commit([w]);
    }
  }

  private transact(group: Waiting[]): Promise<BatchOutcome[]> {
    return this.database.writeTransaction((q) => applyGroup(q, group, this.sortRefresh));
  }
}
