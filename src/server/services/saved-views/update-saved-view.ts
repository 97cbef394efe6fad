import { sql } from "drizzle-orm";
import { UpdateSavedViewInput, type SavedView } from "@/contracts/run-table";
import { authorize } from "@/server/authz/authorize";
import { conflict, notFound, hiddenAs } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { findView, isUniqueViolation, mayDelete, toSavedView } from "./view-row";

/** Renames a view or saves the table's current state into it (contributors and up). */
export async function updateSavedView(ctx: Ctx, raw: unknown): Promise<SavedView> {
  const input = parseInput(UpdateSavedViewInput, raw);
  const row = await findView(ctx.database, input.viewId);
  if (!row) throw notFound("view");
  await hiddenAs("view", authorize(ctx.database, ctx.actor, "run.write", row.project_id));
  try {
    await ctx.database.rows(sql`
      UPDATE saved_views SET
        name = ${input.name ?? row.name},
        state = ${input.state === undefined ? row.state_text : JSON.stringify(input.state)}::jsonb,
        updated_at = now()
      WHERE id = ${row.id} AND project_id = ${row.project_id}`);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("a view of this project already has this name", "name");
    throw error;
  }
  const updated = (await findView(ctx.database, row.id))!;
  return toSavedView(updated, await mayDelete(ctx.database, ctx.actor, updated));
}
