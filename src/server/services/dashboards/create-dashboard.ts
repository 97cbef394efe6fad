import { sql } from "drizzle-orm";
import { CreateDashboardInput, type Dashboard } from "@/contracts/dashboards";
import { userIdOf } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import { conflict } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { checkLayoutGrammar, isUniqueViolation, toDashboard, type DashboardRow } from "./dashboard-rows";

/** A new named dashboard of a project (contributors and up); names are unique per project. */
export async function createDashboard(ctx: Ctx, raw: unknown): Promise<Dashboard> {
  const input = parseInput(CreateDashboardInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "run.write", projectId);
  checkLayoutGrammar(input.layout);
  try {
    const [row] = await ctx.database.rows<DashboardRow>(sql`
      INSERT INTO dashboards (project_id, name, layout, created_by)
      VALUES (${projectId}, ${input.name}, ${JSON.stringify(input.layout)}::jsonb, ${userIdOf(ctx.actor)})
      RETURNING id, project_id, name, layout, created_by, created_at, updated_at`);
    return toDashboard(ctx, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a dashboard named "${input.name}" already exists`, "name");
    throw error;
  }
}
