import { sql } from "drizzle-orm";
import { ListShareLinksInput } from "@/contracts/share-links";
import { userIdOf } from "@/server/authz/actor";
import { allows, authorize } from "@/server/authz/authorize";
import { textArray } from "@/server/db/arrays";
import { iso, uuidArray } from "@/server/db/values";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";

export type ShareLinkInfo = {
  id: string; prefix: string; label: string; targetKind: "run" | "compare" | "view";
  /** The runs a run or comparison link shows (ones deleted since are left out). */
  runs: { id: string; key: string; name: string }[];
  createdBy: { id: string; name: string | null; email: string } | null;
  createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null;
  /** Still opens: neither revoked nor expired. */
  active: boolean;
  /** The caller created it or manages the project. */
  canRevoke: boolean;
};

type Row = {
  id: string; prefix: string; label: string; target_kind: ShareLinkInfo["targetKind"]; run_ids: string[] | string | null;
  created_by: string; creator_name: string | null; creator_email: string | null;
  created_at: Date; expires_at: Date | null; last_used_at: Date | null; revoked_at: Date | null;
};

/** A project's share links, newest first, for the people who may make them (contributors and up). */
export async function listShareLinks(ctx: Ctx, raw: unknown): Promise<ShareLinkInfo[]> {
  const input = parseInput(ListShareLinksInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "run.write", projectId);
  const rows = await ctx.database.rows<Row>(sql`
    SELECT l.id, l.prefix, l.label, l.target_kind, l.run_ids, l.created_by, u.name AS creator_name, u.email AS creator_email,
      l.created_at, l.expires_at, l.last_used_at, l.revoked_at
    FROM share_links l LEFT JOIN users u ON u.id = l.created_by
    WHERE l.project_id = ${projectId}
    ORDER BY l.created_at DESC, l.id LIMIT 1000`);
  const runIds = [...new Set(rows.flatMap((r) => uuidArray(r.run_ids) ?? []))];
  const runs = new Map<string, { id: string; key: string; name: string }>();
  if (runIds.length > 0) {
    const found = await ctx.database.rows<{ id: string; key: string; name: string }>(sql`
      SELECT id, key, name FROM runs WHERE project_id = ${projectId} AND id = ANY(${textArray(runIds)}::text::uuid[])`);
    for (const r of found) runs.set(r.id, r);
  }
  const manages = await allows(ctx.database, ctx.actor, "project.manage", projectId);
  const me = userIdOf(ctx.actor);
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id, prefix: r.prefix, label: r.label, targetKind: r.target_kind,
    runs: (uuidArray(r.run_ids) ?? []).flatMap((id) => runs.get(id) ?? []),
    createdBy: r.creator_email ? { id: r.created_by, name: r.creator_name, email: r.creator_email } : null,
    createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at), lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at),
    active: !r.revoked_at && (!r.expires_at || new Date(r.expires_at).getTime() > now),
    canRevoke: manages || r.created_by === me,
  }));
}
