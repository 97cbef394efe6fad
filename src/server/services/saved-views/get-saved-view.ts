import { GetSavedViewInput, type SavedView } from "@/contracts/run-table";
import { authorize } from "@/server/authz/authorize";
import { notFound, hiddenAs } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { findView, mayDelete, toSavedView } from "./view-row";

/** One saved view, for anyone who can read its project. */
export async function getSavedView(ctx: Ctx, raw: unknown): Promise<SavedView> {
  const input = parseInput(GetSavedViewInput, raw);
  const row = await findView(ctx.database, input.viewId);
  if (!row) throw notFound("view");
  await hiddenAs("view", authorize(ctx.database, ctx.actor, "project.read", row.project_id));
  return toSavedView(row, await mayDelete(ctx.database, ctx.actor, row));
}
