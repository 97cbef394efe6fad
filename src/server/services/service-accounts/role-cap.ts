import { userIdOf } from "@/server/authz/actor";
import { roleOf } from "@/server/authz/authorize";
import { roleRank, type ProjectRole } from "@/server/authz/permissions";
import { forbidden, notFound } from "@/server/errors";
import type { Ctx } from "../context";

/** A service account never gets more than the person granting it holds in the project right now. */
export async function assertMayGrant(ctx: Ctx, projectId: string, role: ProjectRole): Promise<void> {
  if (ctx.actor.kind === "system") return;
  const userId = userIdOf(ctx.actor);
  const mine = userId ? await roleOf(ctx.database, userId, projectId) : null;
  if (!mine) throw notFound("project");
  if (roleRank(role) > roleRank(mine)) throw forbidden(`a service account cannot get a higher role than yours (${mine})`);
}
