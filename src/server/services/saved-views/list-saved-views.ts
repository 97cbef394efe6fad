import { sql } from "drizzle-orm";
import { ListSavedViewsInput, type SavedView } from "@/contracts/run-table";
import { authorize } from "@/server/authz/authorize";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { mayDelete, toSavedView, VIEW_COLUMNS, type ViewRow } from "./view-row";

/** The project's saved views by name; everyone who can read the project sees them all. */
export async function listSavedViews(ctx: Ctx, raw: unknown): Promise<SavedView[]> {
  const input = parseInput(ListSavedViewsInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "project.read", projectId);
  const rows = await ctx.database.rows<ViewRow>(sql`
    SELECT ${VIEW_COLUMNS} FROM saved_views v WHERE v.project_id = ${projectId} ORDER BY v.name`);
  const out: SavedView[] = [];
  for (const row of rows) out.push(toSavedView(row, await mayDelete(ctx.database, ctx.actor, row)));
  return out;
}
