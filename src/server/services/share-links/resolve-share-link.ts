import { sql } from "drizzle-orm";
import { authorize } from "@/server/authz/authorize";
import { textArray } from "@/server/db/arrays";
import { uuidArray } from "@/server/db/values";
import { notFound } from "@/server/errors";
import type { Ctx } from "../context";

export type ResolvedShareLink = {
  targetKind: "run" | "compare" | "view";
  label: string;
  project: { workspaceSlug: string; slug: string; name: string; key: string };
  /** In the link's order; runs deleted since are left out. Empty for a view link. */
  runs: { id: string; key: string; name: string }[];
  /** The saved table state of a view link (opaque JSON), else null. */
  view: unknown;
};

type Row = {
  target_kind: ResolvedShareLink["targetKind"]; label: string; run_ids: string[] | string | null; view_text: string | null;
  project_id: string; project_slug: string; project_name: string; project_key: string; workspace_slug: string;
};

/** What the share link in the request points at; only a share-link actor has one. */
export async function resolveShareLink(ctx: Ctx): Promise<ResolvedShareLink> {
  const actor = ctx.actor;
  if (actor.kind !== "share") throw notFound("share link");
  const [row] = await ctx.database.rows<Row>(sql`
    SELECT l.target_kind, l.label, l.run_ids, l.view::text AS view_text,
      p.id AS project_id, p.slug AS project_slug, p.name AS project_name, p.key AS project_key, w.slug AS workspace_slug
    FROM share_links l JOIN projects p ON p.id = l.project_id JOIN workspaces w ON w.id = p.workspace_id
    WHERE l.id = ${actor.linkId} AND l.project_id = ${actor.projectId}
      AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > now())`);
  if (!row) throw notFound("share link");
  const runIds = uuidArray(row.run_ids);
  let runs: ResolvedShareLink["runs"] = [];
  if (runIds) {
    for (const runId of runIds) await authorize(ctx.database, actor, "project.read", row.project_id, { runId });
    const found = await ctx.database.rows<{ id: string; key: string; name: string }>(sql`
      SELECT id, key, name FROM runs WHERE project_id = ${row.project_id} AND id = ANY(${textArray(runIds)}::text::uuid[])`);
    const byId = new Map(found.map((r) => [r.id, r]));
    runs = runIds.flatMap((id) => byId.get(id) ?? []);
  } else {
    await authorize(ctx.database, actor, "project.read", row.project_id);
  }
  return {
    targetKind: row.target_kind, label: row.label,
    project: { workspaceSlug: row.workspace_slug, slug: row.project_slug, name: row.project_name, key: row.project_key },
    runs, view: row.view_text === null ? null : JSON.parse(row.view_text),
  };
}
