import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { createCaller } from "@/server/api/root";
import { createApiKey } from "@/server/services/keys/create-api-key";
import type { Services } from "@/server/services/context";
import { startApiServer, type ApiServer } from "./api-server";
import type { DatabaseKind } from "./databases";

/** Who the access matrix calls as. Keys and share links are credentials, people are sessions. */
export const actorNames = [
  "anonymous", "outsider", "instanceAdmin", "member", "viewer", "contributor", "maintainer", "owner", "wsAdmin", "wsOwner",
  "ownerKey", "readOnlyKey", "revokedKey", "viewerKey", "contributorKey", "maintainerKey", "outsiderKey",
  "shareLink", "shareLinkOther", "shareLinkExpired",
] as const;
export type ActorName = (typeof actorNames)[number];

export type Credentials = { cookie?: string; bearer?: string; share?: string };

/**
 * A fresh workspace and private project with one person per role, runs with series, a file
 * and a file series, keys, an invite, a service account and share links: everything a procedure or route
 * of the matrix needs, so each case can mutate its own world.
 */
export type World = {
  workspaceId: string; workspaceSlug: string; projectId: string; projectSlug: string;
  /** `spare` is a workspace member and project viewer who never acts: the target of membership changes. */
  users: Record<"outsider" | "instanceAdmin" | "member" | "viewer" | "contributor" | "maintainer" | "owner" | "wsAdmin" | "wsOwner" | "spare", string>;
  runId: string; otherRunId: string;
  ownerPersonalKeyId: string; inviteId: string; inviteToken: string;
  serviceAccountId: string; serviceAccountKeyId: string; shareLinkId: string; savedViewId: string;
  /** A dashboard of the project, with no widgets. */
  dashboardId: string;
  credentials: Record<ActorName, Credentials>;
};

export async function buildWorld(services: Services, baseUrl: string): Promise<World> {
  const { database } = services;
  const tag = randomUUID().slice(0, 8);
  const one = async <T>(q: ReturnType<typeof sql>) => (await database.rows<T>(q))[0];
  const person = async (name: string, admin = false) =>
    (await one<{ id: string }>(sql`INSERT INTO users (email, name, is_instance_admin) VALUES (${`${name}-${tag}@example.com`}, ${name}, ${admin}) RETURNING id`)).id;

  const workspaceSlug = `ws-${tag}`;
  const projectSlug = "p";
  const ws = await one<{ id: string }>(sql`INSERT INTO workspaces (slug, name) VALUES (${workspaceSlug}, ${workspaceSlug}) RETURNING id`);
  const project = await one<{ id: string }>(sql`
    INSERT INTO projects (workspace_id, slug, key, name) VALUES (${ws.id}, ${projectSlug}, 'P', 'P') RETURNING id`);
  const users = {} as World["users"];
  for (const name of ["outsider", "instanceAdmin", "member", "viewer", "contributor", "maintainer", "owner", "wsAdmin", "wsOwner", "spare"] as const) {
    users[name] = await person(name, name === "instanceAdmin");
  }
  const wsRole = { spare: "member", member: "member", viewer: "member", contributor: "member", maintainer: "member", owner: "member", wsAdmin: "admin", wsOwner: "owner" } as const;
  for (const [name, role] of Object.entries(wsRole)) {
    await database.rows(sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${ws.id}, ${users[name as keyof typeof wsRole]}, ${role})`);
  }
  for (const role of ["viewer", "contributor", "maintainer", "owner"] as const) {
    await database.rows(sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${project.id}, ${users[role]}, ${role})`);
  }
  await database.rows(sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${project.id}, ${users.spare}, 'viewer')`);

  const key = async (userId: string, readOnly = false) => createApiKey(database, { userId, name: "matrix", readOnly });
  const ownerKey = await key(users.owner);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(baseUrl + path, { method: "POST", headers: { authorization: `Bearer ${ownerKey.secret}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  const run = await post(`/api/v1/projects/${workspaceSlug}/${projectSlug}/runs`, { name: "r1", fields: { "params/lr": 0.1 } });
  const other = await post(`/api/v1/projects/${workspaceSlug}/${projectSlug}/runs`, { name: "r2" });
  await post(`/api/v1/runs/${run.id}/ops`, { batchId: "seed", ops: [{ append: "loss", points: [{ value: 1 }] }, { append: "stdout", points: [{ value: "hello" }] }] });
  const put = await fetch(`${baseUrl}/api/v1/runs/${run.id}/files/notes.txt`, {
    method: "PUT", headers: { authorization: `Bearer ${ownerKey.secret}`, "content-type": "text/plain" }, body: "hello",
  });
  if (!put.ok) throw new Error(`file: ${put.status}`);
  const entry = await fetch(`${baseUrl}/api/v1/runs/${run.id}/files/samples?step=0`, {
    method: "PUT", headers: { authorization: `Bearer ${ownerKey.secret}`, "content-type": "text/plain" }, body: "entry",
  });
  if (!entry.ok) throw new Error(`file series: ${entry.status}`);

  const as = (userId: string) => createCaller({ services, actor: { kind: "user", userId } });
  const personal = await as(users.owner).keys.create({ name: "personal", readOnly: false });
  const revoked = await key(users.owner);
  await as(users.owner).keys.revoke({ keyId: revoked.id });
  const invite = await as(users.wsOwner).invites.create({ workspaceId: ws.id, role: "member", expiresInDays: 7 });
  const sa = await as(users.owner).serviceAccounts.create({ projectId: project.id, name: "ci", role: "contributor" });
  const saKey = await as(users.owner).serviceAccounts.createKey({ serviceAccountId: sa.id, name: "ci", readOnly: false });
  const link = await as(users.owner).shareLinks.create({ projectId: project.id, target: { kind: "run", runId: run.id }, label: "" });
  const linkOther = await as(users.owner).shareLinks.create({ projectId: project.id, target: { kind: "run", runId: other.id }, label: "" });
  const view = await as(users.owner).savedViews.create({ projectId: project.id, name: "by lr", state: { sort: { column: "params/lr", direction: "desc" } } });
  const linkExpired = await as(users.owner).shareLinks.create({ projectId: project.id, target: { kind: "run", runId: run.id }, label: "", expiresInDays: 1 });
  await database.rows(sql`UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE id = ${linkExpired.id}`);
  const [dashboard] = await database.rows<{ id: string }>(sql`
    INSERT INTO dashboards (project_id, name, layout, created_by) VALUES (${project.id}, 'board', '{"version":1,"widgets":[]}'::jsonb, ${users.owner}) RETURNING id`);
  services.sockets.accessChanged();

  const session = async (userId: string) => {
    const token = await encode({ token: { uid: userId, sub: userId }, secret: services.auth.secret });
    return { cookie: `next-auth.session-token=${token}` };
  };
  const credentials = {
    anonymous: {},
    ownerKey: { bearer: ownerKey.secret },
    readOnlyKey: { bearer: (await key(users.owner, true)).secret },
    revokedKey: { bearer: revoked.secret },
    viewerKey: { bearer: (await key(users.viewer)).secret },
    contributorKey: { bearer: (await key(users.contributor)).secret },
    maintainerKey: { bearer: (await key(users.maintainer)).secret },
    outsiderKey: { bearer: (await key(users.outsider)).secret },
    shareLink: { share: link.token },
    shareLinkOther: { share: linkOther.token },
    shareLinkExpired: { share: linkExpired.token },
  } as Record<ActorName, Credentials>;
  for (const name of Object.keys(users) as (keyof World["users"])[]) if (name !== "spare") credentials[name] = await session(users[name]);

  return {
    workspaceId: ws.id, workspaceSlug, projectId: project.id, projectSlug, users, runId: run.id, otherRunId: other.id,
    ownerPersonalKeyId: personal.id, inviteId: invite.id, inviteToken: invite.token,
    serviceAccountId: sa.id, serviceAccountKeyId: saKey.id, shareLinkId: link.id, savedViewId: view.id, credentials,
    dashboardId: dashboard.id,
  };
}

/**
 * An API server on a fresh database, past its first-admin set-up as every team's instance is,
 * with the world of actors built on it.
 */
export async function startWorldServer(kind: DatabaseKind): Promise<{ api: ApiServer; world: World }> {
  const api = await startApiServer(kind);
  await createCaller({ services: api.server.services, actor: null }).account.setup({
    name: "Admin", email: "admin@example.com", password: "long enough", workspaceName: "Admin",
    setupToken: api.server.services.auth.setupToken ?? undefined,
  });
  return { api, world: await buildWorld(api.server.services, api.url) };
}
