import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Publisher } from "./publisher";

const summary = { type: "floatSeries" as const, count: 1, firstStep: 0, lastStep: 0, last: 1, min: 1, max: 1 };

describe("Publisher pacing", () => {
  let sent: number[];
  let publisher: Publisher;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    sent = [];
    publisher = new Publisher(100);
    publisher.attach({ emit: (rooms, event) => { if (event === "points.appended" && rooms[0].startsWith("run:")) sent.push(Date.now()); } });
  });
  afterEach(() => vi.useRealTimers());

  const append = (step: number) => publisher.pointsAppended("p", "r", "loss", summary, [{ step, value: step, ts: Date.now() }]);

  test("a run writing about every 100 ms, with jitter, is never held back", async () => {
    const gaps = [100, 92, 108, 97, 85, 115, 100, 95, 99, 101, 90, 110];
    const delays: number[] = [];
    for (const [i, gap] of gaps.entries()) {
      await vi.advanceTimersByTimeAsync(gap);
      const at = Date.now();
      append(i);
      await vi.advanceTimersByTimeAsync(0);
      delays.push(sent[sent.length - 1] - at);
    }
    expect(delays).toEqual(gaps.map(() => 0));
  });

  test("a fast writer still gets about 10 events a second", async () => {
    for (let i = 0; i < 1000; i++) {
      append(i);
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(200);
    // One second of writes: a burst of two, then one per 100 ms.
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.length).toBeLessThanOrEqual(12);
    for (let i = 2; i < sent.length; i++) expect(sent[i] - sent[i - 2]).toBeGreaterThanOrEqual(100);
  });
});
