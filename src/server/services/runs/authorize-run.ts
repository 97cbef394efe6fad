import type { Actor } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import type { Permission } from "@/server/authz/permissions";
import type { Database } from "@/server/db/client";
import { AppError, notFound } from "@/server/errors";
import { projectOfRun } from "./resolve-run";

/**
 * authorize() for a run: finds its project and decides with the run in scope, so a share link
 * to another run gets 404 like an unknown id. Returns the project id for scoping queries.
 * A run the actor may not see answers exactly as a run that does not exist ("run not found"),
 * never "project not found", which would tell that the id belongs to some other tenant.
 */
export async function authorizeRun(ctx: { database: Database; actor: Actor }, permission: Permission, runId: string): Promise<string> {
  const projectId = await projectOfRun(ctx.database, runId);
  try {
    await authorize(ctx.database, ctx.actor, permission, projectId, { runId: runId.toLowerCase() });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") throw notFound("run");
    throw error;
  }
  return projectId;
}
