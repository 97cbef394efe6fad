import { sql } from "drizzle-orm";
import { actorId, type Actor } from "@/server/authz/actor";
import type { Database, Db } from "@/server/db/client";

export type AuditEntry = {
  action: string;
  targetKind: string;
  targetId: string;
  workspaceId?: string | null;
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
};

/**
 * Writes an audit row inside `tx`, so the change and its record commit or fail together. The
 * time is the statement's (clock_timestamp), not the transaction's start, so the rows of one
 * change list in the order they were written.
 */
export async function recordAudit(database: Database, tx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  await database.rows(sql`
    INSERT INTO audit_events (created_at, workspace_id, project_id, actor_kind, actor_id, action, target_kind, target_id, before, after)
    VALUES (clock_timestamp(), ${entry.workspaceId ?? null}, ${entry.projectId ?? null}, ${actor.kind}, ${actorId(actor)}, ${entry.action},
      ${entry.targetKind}, ${entry.targetId}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb)`, tx);
}
