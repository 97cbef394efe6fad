/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in order. Used to keep
 * password hashing from occupying every libuv thread, which file reads and downloads share.
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Tasks finished since start, and the most that ever ran at once (for tests and metrics). */
  completed = 0;
  peak = 0;

  constructor(readonly limit: number) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await task();
    } finally {
      this.running--;
      this.completed++;
      this.waiting.shift()?.();
    }
  }
}
