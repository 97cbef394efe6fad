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

  test("flush copies the marked series, keeps the ones a writer holds, and retries after a failure", async () => {
    const r = new SortRefresh(1000);
    const statements: string[] = [];
    let answer: () => { id: number }[] = () => { throw new Error("database down"); };
    const database = {
      async rows(q: unknown) {
        statements.push(JSON.stringify(q));
        return answer();
      },
    } as never;
    await r.flush(database, 0); // nothing marked: no statement
    expect(statements).toHaveLength(0);
    r.copyNow(7, 0);
    r.copyNow(7, 100);
    r.copyNow(8, 0);
    r.copyNow(8, 100);
    await expect(r.flush(database, 200)).rejects.toThrow("database down");
    answer = () => [{ id: 8 }]; // 8 is locked by a group: skipped
    await r.flush(database, 1200);
    expect(statements).toHaveLength(2);
    expect(statements[1]).toContain("SKIP LOCKED");
    answer = () => [];
    await r.flush(database, 1300); // 8 again, 7 is done
    expect(statements).toHaveLength(3);
    await r.flush(database, 1400); // nothing left
    expect(statements).toHaveLength(3);
    // 7 was copied by the flush at 1200: an append at 1500 waits for the next flush.
    expect(r.copyNow(7, 1500)).toBe(false);
  });
});
