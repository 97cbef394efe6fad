import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { notFound } from "@/server/errors";
import { TtlCache } from "@/server/authz/ttl-cache";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A run never moves between projects, so its project id can be cached; a deleted run is
// caught by the writer, which locks the run row.
const runProjects = new TtlCache<string, string>(60_000, 100_000);

/** The project a run belongs to, or NotFound. Callers authorize against it next. */
export async function projectOfRun(database: Database, runId: string): Promise<string> {
  if (!UUID.test(runId)) throw notFound("run");
  const cached = runProjects.get(runId);
  if (cached) return cached;
  const rows = await database.rows<{ project_id: string }>(sql`SELECT project_id FROM runs WHERE id = ${runId}`);
  if (!rows[0]) throw notFound("run");
  runProjects.set(runId, rows[0].project_id);
  return rows[0].project_id;
}

export function forgetRun(runId: string): void {
  runProjects.delete(runId);
}
