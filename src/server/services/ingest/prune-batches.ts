import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";

/**
 * Forgets the batch ids of runs finished more than `afterHours` ago. A client retries a batch
 * within minutes, and before finishing a run; keeping every id forever would only grow the
 * table. A resumed run clears finished_at, so its ids stay.
 */
export async function pruneBatches(database: Database, afterHours = 24): Promise<number> {
  const rows = await database.rows<{ n: number }>(sql`
    WITH gone AS (
      DELETE FROM op_batches b USING runs r
      WHERE b.run_id = r.id AND r.finished_at < now() - make_interval(hours => ${afterHours})
      RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`);
  return rows[0]?.n ?? 0;
}
