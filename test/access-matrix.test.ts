import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createContext } from "@/server/api/context";
import { appRouter, createCaller } from "@/server/api/root";
import { routes } from "@/server/ingest/routes";
import { actorNames, buildWorld, startWorldServer, type ActorName, type Credentials, type World } from "./helpers/access-world";
import type { ApiServer } from "./helpers/api-server";
import { databaseKinds } from "./helpers/databases";

/*
 * Every tRPC procedure and every /api/v1 route, called as every kind of actor, through the
 * real doors (the tRPC context built from request headers; HTTP for REST). Each entry names
 * who is allowed; everyone else must be refused with 401, 403 or 404. A procedure or route
 * without an entry fails the test, so nothing new ships unchecked.
 */

const persons: ActorName[] = ["outsider", "instanceAdmin", "member", "viewer", "contributor", "maintainer", "owner", "wsAdmin", "wsOwner"];
const wsMembers: ActorName[] = ["member", "viewer", "contributor", "maintainer", "owner", "wsAdmin", "wsOwner"];
const readers: ActorName[] = ["viewer", "contributor", "maintainer", "owner", "wsAdmin", "wsOwner"];
const writers: ActorName[] = ["contributor", "maintainer", "owner", "wsAdmin", "wsOwner"];
const managers: ActorName[] = ["maintainer", "owner", "wsAdmin", "wsOwner"];
const projectAdmins: ActorName[] = ["owner", "wsAdmin", "wsOwner"];
const wsAdmins: ActorName[] = ["wsAdmin", "wsOwner"];
// Run-scoped reads: project readers and a share link to that run (a link to another run gets 404).
const runViewers: ActorName[] = [...readers, "shareLink"];
// An expired link's token fails before any procedure runs; everyone else reaches public ones.
const anyone: ActorName[] = actorNames.filter((a) => a !== "shareLinkExpired");
// Actors that cannot even see the project: a refusal must not say it exists (404, not 403).
const strangers: ActorName[] = ["anonymous", "outsider", "outsiderKey", "instanceAdmin", "shareLinkOther", "shareLinkExpired", "revokedKey"];

type Case = {
  allow: ActorName[];
  input: (w: World) => unknown;
  /** What allowed callers get when it is not plain success (the server is already set up...). */
  allowedOutcome?: string;
  /** Instance-wide settings: there is no object to hide, so a plain 403 is right for everyone. */
  instanceWide?: boolean;
  mutates?: boolean;
};

const unique = () => Math.random().toString(36).slice(2, 10);

const trpcCases: Record<string, Case> = {
  "account.status": { allow: anyone, input: () => undefined },
  "account.setup": { allow: anyone, allowedOutcome: "CONFLICT", input: () => ({ name: "X", email: `x-${unique()}@example.com`, password: "long enough", workspaceName: "X" }) },
  "account.signUp": { allow: anyone, allowedOutcome: "FORBIDDEN", input: () => ({ name: "X", email: `x-${unique()}@example.com`, password: "long enough" }) },
  "account.me": { allow: persons, input: () => undefined },
  "account.updateName": { allow: persons, mutates: true, input: () => ({ name: "New Name" }) },
  "account.changePassword": { allow: persons, mutates: true, input: () => ({ current: "", next: "a new password" }) },
  "account.setOpenSignUp": { allow: ["instanceAdmin"], mutates: true, instanceWide: true, input: () => ({ open: false }) },
  "audit.list": { allow: projectAdmins, input: (w) => ({ projectId: w.projectId }) },
  "compare.runs": { allow: readers, input: (w) => ({ workspace: w.workspaceSlug, project: w.projectSlug, runs: [w.runId, w.otherRunId] }) },
  // A run's share link reads that run's series (and only that run's).
  "compare.series": { allow: [...readers, "shareLink"], input: (w) => ({ runIds: [w.runId], paths: ["loss"] }) },
  "dashboards.list": { allow: readers, input: (w) => ({ projectId: w.projectId }) },
  "dashboards.get": { allow: readers, input: (w) => ({ dashboardId: w.dashboardId }) },
  "dashboards.widgetData": { allow: readers, input: (w) => ({ projectId: w.projectId, widget: { id: "a", kind: "scatter", x: "params/lr", y: "last(loss)" } }) },
  "dashboards.create": { allow: writers, mutates: true, input: (w) => ({ projectId: w.projectId, name: `d-${unique()}` }) },
  "dashboards.update": { allow: writers, mutates: true, input: (w) => ({ dashboardId: w.dashboardId, name: "renamed", layout: { version: 1, widgets: [] } }) },
  "dashboards.delete": { allow: writers, mutates: true, input: (w) => ({ dashboardId: w.dashboardId }) },
  "invites.create": { allow: wsAdmins, mutates: true, input: (w) => ({ workspaceId: w.workspaceId, role: "member" }) },
  "invites.list": { allow: wsAdmins, input: (w) => ({ workspaceId: w.workspaceId }) },
  "invites.revoke": { allow: wsAdmins, mutates: true, input: (w) => ({ inviteId: w.inviteId }) },
  "invites.lookup": { allow: anyone, input: (w) => ({ token: w.inviteToken }) },
  // Holding the token is the permission: signed-in people join as themselves, anyone else makes an account.
  "invites.accept": {
    allow: anyone,
    mutates: true,
    input: (w) => ({ token: w.inviteToken, account: { name: "New", email: `new-${unique()}@example.com`, password: "long enough" } }),
  },
  "runData.series": { allow: runViewers, input: (w) => ({ runId: w.runId, path: "loss", maxPoints: 100 }) },
  "runData.updateRun": { allow: writers, mutates: true, input: (w) => ({ runId: w.runId, addTags: ["checked"], description: "notes" }) },
  "keys.list": { allow: persons, input: () => undefined },
  "keys.create": { allow: persons, mutates: true, input: () => ({ name: "k", readOnly: false }) },
  "keys.revoke": { allow: ["owner"], mutates: true, input: (w) => ({ keyId: w.ownerPersonalKeyId }) },
  "runMedia.files": { allow: runViewers, input: (w) => ({ runId: w.runId }) },
  "runMedia.fileEntries": { allow: runViewers, input: (w) => ({ runId: w.runId, path: "samples" }) },
  "runMedia.fileHead": { allow: runViewers, input: (w) => ({ runId: w.runId, path: "notes.txt" }) },
  "runMedia.lines": { allow: runViewers, input: (w) => ({ runId: w.runId, path: "stdout" }) },
  "runMedia.searchLines": { allow: runViewers, input: (w) => ({ runId: w.runId, path: "stdout", query: "hell" }) },
  "projects.list": { allow: wsMembers, input: (w) => ({ workspaceId: w.workspaceId }) },
  "projects.create": { allow: wsMembers, mutates: true, input: (w) => ({ workspaceId: w.workspaceId, slug: `n-${unique()}` }) },
  "projects.settings": { allow: readers, input: (w) => ({ projectId: w.projectId }) },
  "projects.setAccess": { allow: projectAdmins, mutates: true, input: (w) => ({ projectId: w.projectId, visibility: "workspace" }) },
  "projects.members": { allow: readers, input: (w) => ({ projectId: w.projectId }) },
  "projects.addMember": { allow: projectAdmins, mutates: true, input: (w) => ({ projectId: w.projectId, userId: w.users.member, role: "viewer" }) },
  "projects.setMemberRole": { allow: projectAdmins, mutates: true, input: (w) => ({ projectId: w.projectId, userId: w.users.spare, role: "contributor" }) },
  "projects.removeMember": { allow: projectAdmins, mutates: true, input: (w) => ({ projectId: w.projectId, userId: w.users.spare }) },
  "projects.delete": { allow: projectAdmins, mutates: true, input: (w) => ({ projectId: w.projectId }) },
  "runsTable.query": { allow: readers, input: (w) => ({ workspace: w.workspaceSlug, project: w.projectSlug, columns: ["params/lr"], limit: 5 }) },
  "runsTable.fields": { allow: readers, input: (w) => ({ workspace: w.workspaceSlug, project: w.projectSlug }) },
  "runsTable.groups": { allow: readers, input: (w) => ({ workspace: w.workspaceSlug, project: w.projectSlug, by: "sys/state", aggregates: ["params/lr"] }) },
  "savedViews.list": { allow: readers, input: (w) => ({ projectId: w.projectId }) },
  "savedViews.get": { allow: readers, input: (w) => ({ viewId: w.savedViewId }) },
  "savedViews.create": { allow: writers, mutates: true, input: (w) => ({ projectId: w.projectId, name: "new view", state: { filter: "params/lr > 0" } }) },
  "savedViews.update": { allow: writers, mutates: true, input: (w) => ({ viewId: w.savedViewId, state: { columns: ["params/lr"] } }) },
  // The owner made it; its creator and maintainers may delete it.
  "savedViews.delete": { allow: managers, mutates: true, input: (w) => ({ viewId: w.savedViewId }) },
  "serviceAccounts.list": { allow: managers, input: (w) => ({ projectId: w.projectId }) },
  "serviceAccounts.create": { allow: managers, mutates: true, input: (w) => ({ projectId: w.projectId, name: "bot", role: "viewer" }) },
  "serviceAccounts.update": { allow: managers, mutates: true, input: (w) => ({ serviceAccountId: w.serviceAccountId, name: "renamed" }) },
  "serviceAccounts.delete": { allow: managers, mutates: true, input: (w) => ({ serviceAccountId: w.serviceAccountId }) },
  "serviceAccounts.createKey": { allow: managers, mutates: true, input: (w) => ({ serviceAccountId: w.serviceAccountId, name: "k2", readOnly: true }) },
  "serviceAccounts.revokeKey": { allow: managers, mutates: true, input: (w) => ({ serviceAccountId: w.serviceAccountId, keyId: w.serviceAccountKeyId }) },
  "shareLinks.list": { allow: writers, input: (w) => ({ projectId: w.projectId }) },
  "shareLinks.create": { allow: writers, mutates: true, input: (w) => ({ projectId: w.projectId, target: { kind: "run", runId: w.runId } }) },
  "shareLinks.revoke": { allow: [...managers], mutates: true, input: (w) => ({ linkId: w.shareLinkId }) },
  "shareLinks.resolve": { allow: ["shareLink", "shareLinkOther"], input: () => undefined },
  "workspaces.list": { allow: persons, input: () => undefined },
  "workspaces.get": { allow: wsMembers, input: (w) => ({ workspaceId: w.workspaceId }) },
  "workspaces.create": { allow: persons, mutates: true, input: () => ({ name: `W ${unique()}` }) },
  "workspaces.rename": { allow: wsAdmins, mutates: true, input: (w) => ({ workspaceId: w.workspaceId, name: "Renamed" }) },
  "workspaces.members": { allow: wsMembers, input: (w) => ({ workspaceId: w.workspaceId }) },
  "workspaces.setRole": { allow: wsAdmins, mutates: true, input: (w) => ({ workspaceId: w.workspaceId, userId: w.users.spare, role: "admin" }) },
  "workspaces.removeMember": { allow: wsAdmins, mutates: true, input: (w) => ({ workspaceId: w.workspaceId, userId: w.users.spare }) },
};

type RestCase = { allow: ActorName[]; request: (w: World) => { method: string; path: string; body?: unknown; contentType?: string }; mutates?: boolean };

const restActors: ActorName[] = [
  "anonymous", "ownerKey", "readOnlyKey", "revokedKey", "viewerKey", "contributorKey", "maintainerKey", "outsiderKey",
  "shareLink", "shareLinkOther", "shareLinkExpired", "owner", "outsider",
];
const keyWriters: ActorName[] = ["ownerKey", "contributorKey", "maintainerKey"];
const keyReaders: ActorName[] = ["ownerKey", "readOnlyKey", "viewerKey", "contributorKey", "maintainerKey"];
// Browsers read runs with their session or the run's share link; they never write through /api/v1.
const runReaders: ActorName[] = [...keyReaders, "shareLink", "owner"];

const restCases: Record<string, RestCase> = {
  "GET /health": { allow: restActors, request: () => ({ method: "GET", path: "/api/v1/health" }) },
  "POST /projects/{ws}/{project}/runs": { allow: keyWriters, mutates: true, request: (w) => ({ method: "POST", path: `/api/v1/projects/${w.workspaceSlug}/${w.projectSlug}/runs`, body: { name: "m" } }) },
  "POST /runs/{id}/ops": { allow: keyWriters, mutates: true, request: (w) => ({ method: "POST", path: `/api/v1/runs/${w.runId}/ops`, body: { batchId: unique(), ops: [{ append: "loss", points: [{ value: 2 }] }] } }) },
  "POST /runs/{id}/finish": { allow: keyWriters, mutates: true, request: (w) => ({ method: "POST", path: `/api/v1/runs/${w.runId}/finish`, body: { state: "succeeded" } }) },
  "GET /runs/{id}": { allow: runReaders, request: (w) => ({ method: "GET", path: `/api/v1/runs/${w.runId}` }) },
  "GET /runs/{id}/series/{path}": { allow: runReaders, request: (w) => ({ method: "GET", path: `/api/v1/runs/${w.runId}/series/loss` }) },
  "PUT /runs/{id}/files/{path}": { allow: keyWriters, mutates: true, request: (w) => ({ method: "PUT", path: `/api/v1/runs/${w.runId}/files/more.txt`, body: "more", contentType: "text/plain" }) },
  "GET /runs/{id}/files/{path}": { allow: runReaders, request: (w) => ({ method: "GET", path: `/api/v1/runs/${w.runId}/files/notes.txt` }) },
  "POST /projects/{ws}/{project}/runs/query": { allow: keyReaders, request: (w) => ({ method: "POST", path: `/api/v1/projects/${w.workspaceSlug}/${w.projectSlug}/runs/query`, body: { limit: 5 } }) },
};

/** The route table's entries, named the way restCases names them. */
function routeName(method: string, source: string): string {
  return `${method} ${source.replace(/^\^\\\/api\\\/v1/, "").replace(/\$$/, "").replace(/\\\//g, "/")
    .replace("/projects/([^/]+)/([^/]+)", "/projects/{ws}/{project}").replace("/runs/([^/]+)", "/runs/{id}").replace(/\(\.\+\)/g, "{path}")}`;
}

const headersOf = (c: Credentials): Record<string, string> => ({
  ...(c.cookie ? { cookie: c.cookie } : {}),
  ...(c.bearer ? { authorization: `Bearer ${c.bearer}` } : {}),
  ...(c.share ? { "x-cairn-share": c.share } : {}),
});

test("every tRPC procedure and every /api/v1 route has an entry in the matrix", () => {
  expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(trpcCases).sort());
  expect(routes.map((r) => routeName(r.method, r.pattern.source)).sort()).toEqual(Object.keys(restCases).sort());
});

describe.each(databaseKinds())("access matrix on $name", (kind) => {
  let api: ApiServer;
  let shared: World;
  beforeAll(async () => {
    ({ api, world: shared } = await startWorldServer(kind));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  async function callTrpc(path: string, c: Credentials, input: unknown): Promise<string> {
    try {
      const ctx = await createContext(new Request(`${api.url}/api/trpc/${path}`, { headers: headersOf(c) }));
      const fn = path.split(".").reduce<any>((o, k) => o[k], createCaller(ctx)); // eslint-disable-line @typescript-eslint/no-explicit-any
      await fn(input);
      return "ok";
    } catch (error) {
      return (error as { code?: string }).code ?? `thrown: ${String(error)}`;
    }
  }

  test.each(Object.entries(trpcCases))("tRPC %s", async (path, c) => {
    const problems: string[] = [];
    for (const actor of actorNames) {
      const allowed = c.allow.includes(actor);
      // Mutations by allowed actors each get a fresh world; refusals change nothing and share one.
      const world = c.mutates && allowed ? await buildWorld(api.server.services, api.url) : shared;
      const outcome = await callTrpc(path, world.credentials[actor], c.input(world));
      if (allowed && outcome !== (c.allowedOutcome ?? "ok")) problems.push(`${actor}: expected ${c.allowedOutcome ?? "ok"}, got ${outcome}`);
      if (!allowed && !["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"].includes(outcome)) problems.push(`${actor}: expected a refusal, got ${outcome}`);
      if (!allowed && outcome === "FORBIDDEN" && strangers.includes(actor) && !c.instanceWide) problems.push(`${actor}: FORBIDDEN reveals the object; expected 404/401`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  test.each(Object.entries(restCases))("REST %s", async (_name, c) => {
    const problems: string[] = [];
    for (const actor of restActors) {
      const allowed = c.allow.includes(actor);
      const world = c.mutates && allowed ? await buildWorld(api.server.services, api.url) : shared;
      const r = c.request(world);
      const body = r.body === undefined ? undefined : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      const res = await fetch(api.url + r.path, {
        method: r.method, body,
        headers: { ...headersOf(world.credentials[actor]), ...(body !== undefined ? { "content-type": r.contentType ?? "application/json" } : {}) },
      });
      await res.arrayBuffer();
      if (allowed && !res.ok) problems.push(`${actor}: expected success, got ${res.status}`);
      if (!allowed && ![401, 403, 404].includes(res.status)) problems.push(`${actor}: expected a refusal, got ${res.status}`);
      if (!allowed && res.status === 403 && strangers.includes(actor)) problems.push(`${actor}: 403 reveals the object; expected 404/401`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
