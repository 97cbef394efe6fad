import { sql } from "drizzle-orm";
import type { Services } from "@/server/services/context";

export type Health = {
  status: "ok" | "degraded";
  version: string;
  database: Services["database"]["kind"];
  /** What is wrong when degraded. */
  problems?: string[];
};

// A probe slower than this counts as the database being away: readiness must answer quickly.
const PROBE_DEADLINE_MS = 1_000;

/**
 * Readiness: the database answers a trivial query in time and the writer's connections are
 * not failing. A load balancer takes a degraded process out of rotation (503).
 */
export async function checkHealth(services: Pick<Services, "database" | "writer">, version: string): Promise<Health> {
  const problems: string[] = [];
  const [writing, answering] = await Promise.all([
    inTime(services.writer.healthy()),
    inTime(services.database.rows(sql`SELECT 1`).then(() => true)),
  ]);
  if (!writing) problems.push("writes are failing: the database connection was lost");
  if (!answering) problems.push(`the database did not answer within ${PROBE_DEADLINE_MS} ms`);
  const health: Health = { status: problems.length ? "degraded" : "ok", version, database: services.database.kind };
  if (problems.length) health.problems = problems;
  return health;
}

/** The check's answer, or false when it fails or takes longer than the deadline. */
async function inTime(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_DEADLINE_MS)));
  try {
    return await Promise.race([check.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
