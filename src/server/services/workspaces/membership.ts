import { sql } from "drizzle-orm";
import type { WorkspaceRole } from "@/contracts/workspaces";
import type { Database, Db } from "@/server/db/client";
import { notFound } from "@/server/errors";

/**
 * Locks the workspace row for the rest of the transaction. Every change of membership takes
 * this lock first, so two concurrent demotions cannot both see "another owner is left".
 */
export async function lockWorkspace(database: Database, tx: Db, workspaceId: string): Promise<void> {
  const [row] = await database.rows<{ id: string }>(sql`SELECT id FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`, tx);
  if (!row) throw notFound("workspace");
}

export async function memberRole(database: Database, tx: Db, workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
  const [row] = await database.rows<{ role: WorkspaceRole }>(sql`
    SELECT role FROM workspace_members WHERE workspace_id = ${workspaceId} AND user_id = ${userId}`, tx);
  return row?.role ?? null;
}

export async function ownerCount(database: Database, tx: Db, workspaceId: string): Promise<number> {
  const [row] = await database.rows<{ n: string | number }>(sql`
    SELECT count(*) AS n FROM workspace_members WHERE workspace_id = ${workspaceId} AND role = 'owner'`, tx);
  return Number(row.n);
}
