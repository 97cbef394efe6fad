import { sql } from "drizzle-orm";
import { FinishRunInput, type RunState } from "@/contracts/runs";
import { notFound } from "@/server/errors";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

/** Marks a run finished. Finishing again with any state is allowed and updates it. */
export async function finishRun(ctx: Ctx, input: { runId: string; body: unknown }): Promise<{ state: RunState }> {
  const projectId = await authorizeRun(ctx, "run.write", input.runId);
  const { state } = parseInput(FinishRunInput, input.body);
  // Pending batches of this run are committed before the state flips (the client flushes
  // first; the writer keeps per-run order), so viewers never see points after "finished".
  const rows = await ctx.database.rows<{ finished_at: Date }>(sql`
    UPDATE runs SET state = ${state}, finished_at = now(), modified_at = now()
    WHERE id = ${input.runId} AND project_id = ${projectId} RETURNING finished_at`);
  if (!rows[0]) throw notFound("run");
  ctx.publisher.runFinished({ projectId, runId: input.runId, state, finishedAt: new Date(rows[0].finished_at).toISOString() });
  return { state };
}
