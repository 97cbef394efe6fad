import { describe, expect, test } from "vitest";
import { SortRefresh } from "./sort-refresh";

describe("SortRefresh", () => {
  test("copies a series' first append of each interval and marks the others", () => {
    const r = new SortRefresh(1000);
    expect(r.copyNow(1, 10_000)).toBe(true);
    expect(r.copyNow(2, 10_100)).toBe(true);
    expect(r.copyNow(1, 10_500)).toBe(false);
    expect(r.copyNow(1, 10_999)).toBe(false);
    expect(r.copyNow(1, 11_000)).toBe(true);
    expect(r.copyNow(2, 10_900)).toBe(false);
  });

  test("flush copies the marked series once, in one transaction, and retries after a failure", async () => {
    const r = new SortRefresh(1000);
    const sent: string[][] = [];
    let fail = true;
    const database = {
      async writeTransaction(fn: (q: { all(qs: unknown[]): Promise<void> }) => Promise<void>) {
        await fn({
          async all(qs) {
            if (fail) throw new Error("database down");
            sent.push(qs.map((q) => JSON.stringify(q).includes("UPDATE fields") ? "update" : "lock"));
          },
        });
      },
    } as never;
    await r.flush(database, 0); // nothing marked: no transaction
    r.copyNow(7, 0);
    r.copyNow(7, 100);
    await expect(r.flush(database, 200)).rejects.toThrow("database down");
    fail = false;
    await r.flush(database, 1200);
    expect(sent).toEqual([["lock", "update"]]);
    await r.flush(database, 1300); // already copied
    expect(sent).toHaveLength(1);
    // Copied by the flush at 1200: an append at 1500 waits for the next one.
    expect(r.copyNow(7, 1500)).toBe(false);
  });
});
