import { sql, type SQL } from "drizzle-orm";
import { ListAuditInput } from "@/contracts/audit";
import { authorize } from "@/server/authz/authorize";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { iso } from "@/server/db/values";
import { invalid } from "@/server/errors";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";

export type AuditEvent = {
  id: string;
  at: string;
  action: string;
  actor: { kind: string; id: string; label: string };
  target: { kind: string; id: string; label: string | null };
  workspaceId: string | null;
  projectId: string | null;
  before: unknown;
  after: unknown;
};
export type AuditPage = { events: AuditEvent[]; nextCursor: string | null };

type Row = {
  id: string; seq: string | number; created_at: Date | string; ts: string; action: string; actor_kind: string; actor_id: string;
  target_kind: string; target_id: string; workspace_id: string | null; project_id: string | null; before: unknown; after: unknown;
  actor_email: string | null; actor_name: string | null; key_prefix: string | null; key_owner: string | null; link_prefix: string | null;
  target_email: string | null; target_name: string | null;
};

/**
 * A workspace's audit log (workspace owners and admins: its own events and its projects') or a
 * project's (project owners), newest first, a page at a time. The cursor carries the exact
 * (microsecond) time and id of the last row, so pages neither skip nor repeat rows.
 */
export async function listAuditEvents(ctx: Ctx, raw: unknown): Promise<AuditPage> {
  const input = parseInput(ListAuditInput, raw);
  let scope: SQL;
  if (input.projectId) {
    await authorize(ctx.database, ctx.actor, "project.admin", input.projectId);
    scope = sql`e.project_id = ${input.projectId}`;
  } else {
    await authorizeWorkspace(ctx.database, ctx.actor, "admin", input.workspaceId!);
    scope = sql`e.workspace_id = ${input.workspaceId!}`;
  }
  const where: SQL[] = [scope];
  if (input.action) where.push(sql`e.action LIKE ${`${input.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (input.targetKind) where.push(sql`e.target_kind = ${input.targetKind}`);
  if (input.actor) where.push(sql`(e.actor_id = ${input.actor} OR au.email = ${input.actor.trim().toLowerCase()})`);
  if (input.from) where.push(sql`e.created_at >= ${input.from.toISOString()}::timestamptz`);
  if (input.to) where.push(sql`e.created_at < ${input.to.toISOString()}::timestamptz`);
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(sql`(e.created_at, e.seq) < (${c.t}::timestamptz, ${c.seq}::bigint)`);
  }
  const rows = await ctx.database.rows<Row>(sql`
    SELECT e.id, e.seq, e.created_at, to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts,
      e.action, e.actor_kind, e.actor_id, e.target_kind, e.target_id, e.workspace_id, e.project_id, e.before, e.after,
      au.email AS actor_email, au.name AS actor_name, k.prefix AS key_prefix, ku.email AS key_owner, sl.prefix AS link_prefix,
      tu.email AS target_email, tu.name AS target_name
    FROM audit_events e
    LEFT JOIN users au ON e.actor_kind = 'user' AND au.id::text = e.actor_id
    LEFT JOIN api_keys k ON e.actor_kind = 'apiKey' AND k.id::text = e.actor_id
    LEFT JOIN users ku ON ku.id = k.user_id
    LEFT JOIN share_links sl ON e.actor_kind = 'share' AND sl.id::text = e.actor_id
    LEFT JOIN users tu ON e.target_kind = 'user' AND tu.id::text = e.target_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY e.created_at DESC, e.seq DESC
    LIMIT ${input.limit + 1}`);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    events: page.map(toEvent),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ t: last.ts, seq: String(last.seq) }) : null,
  };
}

function toEvent(r: Row): AuditEvent {
  const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
  const actorLabel =
    r.actor_kind === "user" ? (r.actor_name ? `${r.actor_name} <${r.actor_email}>` : r.actor_email ?? "deleted user")
    : r.actor_kind === "apiKey" ? `API key ${r.key_prefix ?? "(deleted)"}…${r.key_owner ? ` of ${r.key_owner}` : ""}`
    : r.actor_kind === "share" ? `share link ${r.link_prefix ?? "(deleted)"}…`
    : `system (${r.actor_id})`;
  return {
    id: r.id, at: iso(r.created_at)!, action: r.action,
    actor: { kind: r.actor_kind, id: r.actor_id, label: actorLabel },
    target: { kind: r.target_kind, id: r.target_id, label: r.target_email ? (r.target_name ? `${r.target_name} <${r.target_email}>` : r.target_email) : null },
    workspaceId: r.workspace_id, projectId: r.project_id, before: json(r.before), after: json(r.after),
  };
}

const encodeCursor = (c: { t: string; seq: string }) => Buffer.from(JSON.stringify(c)).toString("base64url");

function decodeCursor(cursor: string): { t: string; seq: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { t?: unknown; seq?: unknown };
    if (typeof c.t === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(c.t) && typeof c.seq === "string" && /^\d{1,19}$/.test(c.seq)) {
      return { t: c.t, seq: c.seq };
    }
  } catch {
    // fall through
  }
  throw invalid("is not a cursor from this list", "cursor");
}
