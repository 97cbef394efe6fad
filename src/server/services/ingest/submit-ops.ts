import { OpsError, parseOpsBatch } from "@/contracts/ops";
import { AppError, invalid, tooLarge } from "@/server/errors";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";
import { batchDigest } from "./plan-batch";

/** Validates an ops request and hands it to the group-commit writer. */
export async function submitOps(ctx: Ctx, input: { runId: string; body: unknown }): Promise<{ applied: number; duplicate?: true }> {
  const projectId = await authorizeRun(ctx, "run.write", input.runId);
  let batch;
  try {
    batch = parseOpsBatch(input.body);
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    throw error.tooLarge ? tooLarge(error.message) : invalid(error.message.slice(error.where.length + 2), error.where);
  }
  if (!ctx.writer.canAccept(batch.pointCount)) throw new AppError("rate_limited", "the server is busy writing; retry shortly");
  const outcome = await ctx.writer.submit({ runId: input.runId, projectId, batch, receivedAt: Date.now(), digest: batchDigest(batch) });
  if (!outcome.ok) throw outcome.error;
  return outcome.duplicate ? { applied: 0, duplicate: true } : { applied: outcome.applied };
}
