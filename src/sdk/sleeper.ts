/**
 * Timers that keep the process alive only while someone awaits the run (flush, finish):
 * an idle script can exit, but an awaited flush is not cut short by Node exiting.
 */
export class Sleeper {
  private holds = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Calls fn after ms; returns a cancel function. */
  timer(ms: number, fn: () => void): () => void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    if (this.holds === 0) t.unref();
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.timer(ms, resolve));

  /** Keeps the process alive until the returned release is called. */
  hold(): () => void {
    if (this.holds++ === 0) for (const t of this.timers) t.ref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) for (const t of this.timers) t.unref();
    };
  }
}
