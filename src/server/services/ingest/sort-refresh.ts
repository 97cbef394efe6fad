import { sql } from "drizzle-orm";
import { intArray } from "@/server/db/arrays";
import type { Database } from "@/server/db/client";

/** How stale the run table's order by a float series' last value may be. */
export const SORT_REFRESH_MS = 1000;

/**
 * Keeps `fields.sort_last`, the indexed copy of a float series' last value that the run table
 * sorts by, within about a second of `last`. The first append to a series in each interval
 * copies the value in the same statement; later ones leave the copy alone (so the update stays
 * in place, HOT) and mark the series, and `flush` copies the marked ones once a second.
 *
 * Per process: two processes writing one series each keep their own times, which only costs a
 * few more copies. A crash loses at most the marks of the last second; the next append copies.
 */
export class SortRefresh {
  private copiedAt = new Map<number, number>();
  private marked = new Set<number>();

  constructor(private readonly intervalMs = SORT_REFRESH_MS) {}

  /** Whether the summary update of series `id`, at `now`, should also copy its last value. */
  copyNow(id: number, now: number): boolean {
    const at = this.copiedAt.get(id);
    if (at !== undefined && now - at < this.intervalMs) {
      this.marked.add(id);
      return false;
    }
    this.copiedAt.set(id, now);
    return true;
  }

  /**
   * Copies the last value of every marked series. Rows a group is writing right now are
   * skipped, not waited for (so this statement can never be part of a deadlock with a group),
   * and stay marked for the next flush.
   */
  async flush(database: Database, now = Date.now()): Promise<void> {
    for (const [id, at] of this.copiedAt) if (now - at >= this.intervalMs) this.copiedAt.delete(id);
    if (this.marked.size === 0) return;
    const ids = [...this.marked];
    this.marked.clear();
    let skipped: { id: string | number }[];
    try {
      // Series deleted meanwhile are neither copied nor skipped: they are forgotten.
      skipped = await database.rows<{ id: string | number }>(sql`
        WITH locked AS (SELECT id FROM fields WHERE id = ANY(${intArray(ids)}::text::int8[]) FOR UPDATE SKIP LOCKED),
          copied AS (UPDATE fields f SET sort_last = f.last FROM locked
                     WHERE f.id = locked.id AND f.type = 'floatSeries' AND f.sort_last IS DISTINCT FROM f.last)
        SELECT id FROM fields WHERE id = ANY(${intArray(ids)}::text::int8[]) AND id NOT IN (SELECT id FROM locked)`);
    } catch (error) {
      for (const id of ids) this.marked.add(id);
      throw error;
    }
    for (const id of ids) this.copiedAt.set(id, now);
    for (const { id } of skipped) {
      this.copiedAt.delete(Number(id));
      this.marked.add(Number(id));
    }
  }
}
