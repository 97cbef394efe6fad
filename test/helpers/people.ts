import { sql } from "drizzle-orm";
import { createCaller } from "@/server/api/root";
import type { Actor } from "@/server/authz/actor";
import type { ProjectRole } from "@/server/authz/permissions";
import type { Services } from "@/server/services/context";

/**
 * People for access tests, written straight to the tables (the membership services belong to
 * their own tests): a workspace member with a project role, or none.
 */
export function people(services: Services) {
  const { database } = services;
  const one = async <T>(q: ReturnType<typeof sql>) => (await database.rows<T>(q))[0];

  async function projectId(workspace: string, project: string): Promise<string> {
    return (await one<{ id: string }>(sql`
      SELECT p.id FROM projects p JOIN workspaces w ON w.id = p.workspace_id WHERE w.slug = ${workspace} AND p.slug = ${project}`)).id;
  }

  /** A workspace member (not admin) holding `role` in the project, or no role when null. */
  async function person(email: string, workspace: string, grants: Record<string, ProjectRole | null> = {}): Promise<string> {
    const user = await one<{ id: string }>(sql`INSERT INTO users (email, name) VALUES (${email}, ${email.split("@")[0]}) RETURNING id`);
    const ws = await one<{ id: string }>(sql`SELECT id FROM workspaces WHERE slug = ${workspace}`);
    await database.rows(sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${ws.id}, ${user.id}, 'member')`);
    for (const [project, role] of Object.entries(grants)) await setRole(user.id, await projectId(workspace, project), role);
    return user.id;
  }

  /** Grants, changes or (null) removes a project role, and drops cached decisions as the membership services do. */
  async function setRole(userId: string, project: string, role: ProjectRole | null): Promise<void> {
    if (role) {
      await database.rows(sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${project}, ${userId}, ${role})
        ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`);
    } else {
      await database.rows(sql`DELETE FROM project_members WHERE project_id = ${project} AND user_id = ${userId}`);
    }
    services.sockets.accessChanged();
  }

  const as = (userId: string) => createCaller({ services, actor: { kind: "user", userId } });
  const asActor = (actor: Actor | null) => createCaller({ services, actor });
  const userIdByEmail = async (email: string) => (await one<{ id: string }>(sql`SELECT id FROM users WHERE email = ${email}`)).id;

  return { person, setRole, projectId, as, asActor, userIdByEmail };
}

/** The parsed value of a jsonb column, whichever driver read it. */
export const jsonOf = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

/** Rejects with a tRPC error of this code. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    if (message && !message.test(e.message ?? "")) throw new Error(`expected message ${message}, got ${e.message}`);
    return;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

/** Resolves with the disconnect reason, or fails after 5 s. */
export const disconnected = (socket: { once(event: "disconnect", fn: (reason: string) => void): unknown }) =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("socket not disconnected within 5 s")), 5000);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
