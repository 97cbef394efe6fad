import { sql } from "drizzle-orm";
import { RunTableView, type SavedView } from "@/contracts/run-table";
import type { Actor } from "@/server/authz/actor";
import { allows } from "@/server/authz/authorize";
import type { Database } from "@/server/db/client";
import { iso } from "@/server/db/values";

export type ViewRow = {
  id: string; project_id: string; name: string; state_text: string; created_by: string | null; created_by_name: string | null;
  created_at: Date | string; updated_at: Date | string;
};

export const VIEW_COLUMNS = sql`v.id, v.project_id, v.name, v.state::text AS state_text, v.created_by,
  (SELECT COALESCE(u.name, u.email) FROM users u WHERE u.id = v.created_by) AS created_by_name, v.created_at, v.updated_at`;

/** Reads one view by id (any project): callers authorize against its project before revealing it. */
export async function findView(database: Database, viewId: string): Promise<ViewRow | null> {
  const [row] = await database.rows<ViewRow>(sql`SELECT ${VIEW_COLUMNS} FROM saved_views v WHERE v.id = ${viewId.toLowerCase()}`);
  return row ?? null;
}

/** A view's creator may delete it, and so may the project's maintainers. */
export async function mayDelete(database: Database, actor: Actor, row: ViewRow): Promise<boolean> {
  if (actor.kind === "user" && row.created_by === actor.userId) return true;
  return allows(database, actor, "project.manage", row.project_id);
}

export function toSavedView(row: ViewRow, canDelete: boolean): SavedView {
  // Stored states were valid when saved; parsing again fills defaults added since.
  const parsed = RunTableView.safeParse(JSON.parse(row.state_text));
  return {
    id: row.id, projectId: row.project_id, name: row.name, state: parsed.success ? parsed.data : RunTableView.parse({}),
    createdBy: row.created_by, createdByName: row.created_by_name, createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!, canDelete,
  };
}

/** PostgreSQL's unique_violation, from either driver. */
export const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return (e?.code ?? e?.cause?.code) === "23505";
};
