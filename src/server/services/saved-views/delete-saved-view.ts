import { sql } from "drizzle-orm";
import { DeleteSavedViewInput } from "@/contracts/run-table";
import { authorize } from "@/server/authz/authorize";
import { notFound, hiddenAs } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { findView } from "./view-row";

/** Deletes a view: its creator may (while they can see the project), and so may maintainers. */
export async function deleteSavedView(ctx: Ctx, raw: unknown): Promise<{ deleted: boolean }> {
  const input = parseInput(DeleteSavedViewInput, raw);
  const row = await findView(ctx.database, input.viewId);
  if (!row) throw notFound("view");
  const own = ctx.actor.kind === "user" && row.created_by === ctx.actor.userId;
  await hiddenAs("view", authorize(ctx.database, ctx.actor, own ? "project.read" : "project.manage", row.project_id));
  const deleted = await ctx.database.rows(sql`DELETE FROM saved_views WHERE id = ${row.id} AND project_id = ${row.project_id} RETURNING id`);
  return { deleted: deleted.length > 0 };
}
