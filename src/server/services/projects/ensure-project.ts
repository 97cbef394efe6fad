import { sql } from "drizzle-orm";
import type { Database, Db } from "@/server/db/client";
import { invalid } from "@/server/errors";

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type EnsuredProject = { userId: string; workspaceId: string; projectId: string; projectKey: string; created: string[] };

/** Derives a short upper-case key from a slug ("image-net" → "IMAGENET", at most 10 characters). */
export function keyFromSlug(slug: string): string {
  const letters = slug.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const key = /^[A-Z]/.test(letters) ? letters : `P${letters}`;
  return key.slice(0, 10) || "PROJ";
}

/**
 * Creates whatever is missing of user, workspace (the user as its owner) and project (the
 * user as its owner). An administrative verb: the admin CLI runs it as the system.
 */
export async function ensureProject(database: Database, input: { email: string; workspace: string; project: string }): Promise<EnsuredProject> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid(`"${input.email}" is not an e-mail address`, "email");
  for (const [name, slug] of [["workspace", input.workspace], ["project", input.project]] as const) {
    if (!SLUG.test(slug)) throw invalid(`"${slug}" must be lower-case letters, digits and "-" (at most 63)`, name);
  }
  return database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const created: string[] = [];
    const one = async <T>(q: ReturnType<typeof sql>) => (await database.rows<T>(q, tx))[0];

    let user = await one<{ id: string }>(sql`SELECT id FROM users WHERE email = ${email}`);
    if (!user) {
      user = await one<{ id: string }>(sql`INSERT INTO users (email) VALUES (${email}) RETURNING id`);
      created.push(`user ${email}`);
    }
    let ws = await one<{ id: string }>(sql`SELECT id FROM workspaces WHERE slug = ${input.workspace}`);
    if (!ws) {
      ws = await one<{ id: string }>(sql`INSERT INTO workspaces (slug, name) VALUES (${input.workspace}, ${input.workspace}) RETURNING id`);
      await database.rows(sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${ws!.id}, ${user!.id}, 'owner')`, tx);
      created.push(`workspace ${input.workspace}`);
    } else {
      await database.rows(sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${ws.id}, ${user!.id}, 'member') ON CONFLICT DO NOTHING`, tx);
    }
    let project = await one<{ id: string; key: string }>(sql`SELECT id, key FROM projects WHERE workspace_id = ${ws!.id} AND slug = ${input.project}`);
    if (!project) {
      const base = keyFromSlug(input.project);
      const taken = await database.rows<{ key: string }>(sql`SELECT key FROM projects WHERE workspace_id = ${ws!.id} AND key LIKE ${`${base}%`}`, tx);
      const keys = new Set(taken.map((t) => t.key));
      let key = base;
      for (let i = 2; keys.has(key); i++) key = `${base}${i}`;
      project = await one<{ id: string; key: string }>(sql`
        INSERT INTO projects (workspace_id, slug, key, name) VALUES (${ws!.id}, ${input.project}, ${key}, ${input.project}) RETURNING id, key`);
      created.push(`project ${input.workspace}/${input.project} (key ${key})`);
    }
    await database.rows(sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${project!.id}, ${user!.id}, 'owner')
      ON CONFLICT (project_id, user_id) DO UPDATE SET role = 'owner'`, tx);
    return { userId: user!.id, workspaceId: ws!.id, projectId: project!.id, projectKey: project!.key, created };
  });
}
