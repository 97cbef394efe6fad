import { sql } from "drizzle-orm";
import { CreateSavedViewInput, type SavedView } from "@/contracts/run-table";
import { userIdOf } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import { conflict } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { findView, isUniqueViolation, toSavedView } from "./view-row";

/** Saves the table's state under a new name, shared with the project (contributors and up). */
export async function createSavedView(ctx: Ctx, raw: unknown): Promise<SavedView> {
  const input = parseInput(CreateSavedViewInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "run.write", projectId);
  let id: string;
  try {
    [{ id }] = await ctx.database.rows<{ id: string }>(sql`
      INSERT INTO saved_views (project_id, name, state, created_by)
      VALUES (${projectId}, ${input.name}, ${JSON.stringify(input.state)}::jsonb, ${userIdOf(ctx.actor)})
      RETURNING id`);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("a view of this project already has this name", "name");
    throw error;
  }
  return toSavedView((await findView(ctx.database, id))!, true);
}
