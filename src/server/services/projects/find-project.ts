import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { notFound } from "@/server/errors";

export type ProjectRef = { id: string; key: string; slug: string; workspaceSlug: string };

/** Looks a project up by its slugs; callers must authorize before revealing anything. */
export async function findProject(database: Database, workspace: string, project: string): Promise<ProjectRef> {
  const rows = await database.rows<{ id: string; key: string }>(sql`
    SELECT p.id, p.key FROM projects p JOIN workspaces w ON w.id = p.workspace_id
    WHERE w.slug = ${workspace} AND p.slug = ${project}`);
  if (!rows[0]) throw notFound("project");
  return { id: rows[0].id, key: rows[0].key, slug: project, workspaceSlug: workspace };
}
