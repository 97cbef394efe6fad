import { sql } from "drizzle-orm";
import type { RunState } from "@/contracts/runs";
import { authorize } from "@/server/authz/authorize";
import { textArray } from "@/server/db/arrays";
import { AppError } from "@/server/errors";
import type { Ctx } from "../context";

export type RunListItem = { id: string; key: string; name: string; state: RunState; createdAt: string };

export type ProjectSummary = {
  id: string;
  slug: string;
  key: string;
  name: string;
  runCount: number;
  /** Newest first. */
  latestRuns: RunListItem[];
};

export type WorkspaceSummary = { id: string; slug: string; name: string; projects: ProjectSummary[] };

type ProjectRow = {
  workspace_id: string; workspace_slug: string; workspace_name: string;
  project_id: string | null; project_slug: string | null; project_key: string | null; project_name: string | null;
};
type RunRow = { project_id: string; id: string; key: string; name: string; state: RunState; created_at: Date | string };

/**
 * Every workspace with the projects the actor may read, each with its run count and latest
 * runs. The system sees every workspace, empty ones included; anyone else sees only the
 * workspaces in which some project is visible to them.
 */
export async function listProjects(ctx: Ctx, input: { runsPerProject?: number } = {}): Promise<WorkspaceSummary[]> {
  const runsPerProject = Math.max(0, Math.min(input.runsPerProject ?? 10, 100));
  const rows = await ctx.database.rows<ProjectRow>(sql`
    SELECT w.id AS workspace_id, w.slug AS workspace_slug, w.name AS workspace_name,
      p.id AS project_id, p.slug AS project_slug, p.key AS project_key, p.name AS project_name
    FROM workspaces w LEFT JOIN projects p ON p.workspace_id = w.id
    ORDER BY w.slug, p.slug`);

  const visible: ProjectRow[] = [];
  for (const row of rows) {
    if (row.project_id === null) continue;
    if (await mayRead(ctx, row.project_id)) visible.push(row);
  }
  const ids = visible.map((r) => r.project_id!);

  const counts = new Map<string, number>();
  const latest = new Map<string, RunListItem[]>();
  if (ids.length > 0) {
    // Both reads walk runs_project_created_idx per project: no scan of other projects' runs.
    const countRows = await ctx.database.rows<{ project_id: string; n: string | number }>(sql`
      SELECT project_id, count(*) AS n FROM runs
      WHERE project_id = ANY(${textArray(ids)}::text::uuid[]) GROUP BY project_id`);
    for (const c of countRows) counts.set(c.project_id, Number(c.n));
    if (runsPerProject > 0) {
      const runRows = await ctx.database.rows<RunRow>(sql`
        SELECT p.id AS project_id, r.id, r.key, r.name, r.state, r.created_at
        FROM unnest(${textArray(ids)}::text::uuid[]) AS p(id)
        CROSS JOIN LATERAL (
          SELECT id, key, name, state, created_at FROM runs
          WHERE project_id = p.id ORDER BY created_at DESC, number DESC LIMIT ${runsPerProject}
        ) r`);
      for (const r of runRows) {
        const list = latest.get(r.project_id) ?? [];
        list.push({ id: r.id, key: r.key, name: r.name, state: r.state, createdAt: new Date(r.created_at).toISOString() });
        latest.set(r.project_id, list);
      }
    }
  }

  const workspaces = new Map<string, WorkspaceSummary>();
  for (const row of rows) {
    if (!workspaces.has(row.workspace_id)) {
      workspaces.set(row.workspace_id, { id: row.workspace_id, slug: row.workspace_slug, name: row.workspace_name, projects: [] });
    }
  }
  for (const row of visible) {
    workspaces.get(row.workspace_id)!.projects.push({
      id: row.project_id!,
      slug: row.project_slug!,
      key: row.project_key!,
      name: row.project_name!,
      runCount: counts.get(row.project_id!) ?? 0,
      latestRuns: latest.get(row.project_id!) ?? [],
    });
  }
  const all = [...workspaces.values()];
  return ctx.actor.kind === "system" ? all : all.filter((w) => w.projects.length > 0);
}

async function mayRead(ctx: Ctx, projectId: string): Promise<boolean> {
  try {
    await authorize(ctx.database, ctx.actor, "project.read", projectId);
    return true;
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) return false;
    throw error;
  }
}
