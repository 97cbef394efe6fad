import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { createContext } from "@/server/api/context";
import { appRouter, createCaller } from "@/server/api/root";
import { routes } from "@/server/ingest/routes";
import type { Database } from "@/server/db/client";
import { errorExcerpt } from "@/server/errors";
import { buildWorld, startWorldServer, type ActorName, type Credentials, type World } from "./helpers/access-world";
import type { ApiServer } from "./helpers/api-server";
import { databaseKinds } from "./helpers/databases";

/*
 * Every tRPC procedure and every /api/v1 route, fed malformed input through the real doors:
 * none may answer 5xx, write anything, or put SQL, a stack or a hash in its answer. Inputs are
 * derived from one plausible sample per procedure and route (each string, number and value of
 * it replaced in turn), so a procedure or route without a sample fails the test.
 */

/** What a response must never contain: SQL, a stack frame, a sha256 (of a key, token or batch). */
const LEAK = /\bselect\b[\s\S]*\bfrom\b|\binsert into\b|\bupdate\b\s+\w+\s+set\b|\bdelete from\b|at .*\.ts:\d|\b[0-9a-f]{64}\b/i;

type TrpcSample = { as?: ActorName; input: (w: World) => unknown };
const everyone = (input: TrpcSample["input"]): TrpcSample => ({ input });

const trpcSamples: Record<string, TrpcSample> = {
  "account.status": everyone(() => undefined),
  "account.setup": { as: "anonymous", input: () => ({ name: "X", email: "x@example.com", password: "long enough", workspaceName: "X" }) },
  "account.signUp": { as: "anonymous", input: () => ({ name: "X", email: "y@example.com", password: "long enough" }) },
  "account.me": everyone(() => undefined),
  "account.updateName": everyone(() => ({ name: "New Name" })),
  "account.changePassword": everyone(() => ({ current: "old password", next: "a new password" })),
  "account.setOpenSignUp": { as: "instanceAdmin", input: () => ({ open: false }) },
  "audit.list": everyone((w) => ({ projectId: w.projectId, action: "run", actor: "x", targetKind: "run", from: "2020-01-01", to: "2030-01-01", cursor: "c", limit: 5 })),
  "compare.runs": everyone((w) => ({ workspace: w.workspaceSlug, project: w.projectSlug, runs: [w.runId] })),
  "compare.series": everyone((w) => ({ runIds: [w.runId], paths: ["loss"], maxPoints: 10, fromStep: 0, toStep: 5 })),
  "dashboards.list": everyone((w) => ({ projectId: w.projectId })),
  "dashboards.get": everyone((w) => ({ dashboardId: w.dashboardId })),
  "dashboards.widgetData": everyone((w) => ({ projectId: w.projectId, widget: { id: "a", kind: "scatter", title: "t", x: "params/lr", y: "last(loss)", runs: { query: "", limit: 5 } } })),
  "dashboards.create": everyone((w) => ({ projectId: w.projectId, name: "d", layout: { version: 1, widgets: [{ id: "m", kind: "metric", metric: "loss", title: "t", width: 2, height: 1 }] } })),
  "dashboards.update": everyone((w) => ({ dashboardId: w.dashboardId, name: "renamed", baseUpdatedAt: "2020-01-01T00:00:00.000Z", layout: { version: 1, widgets: [] } })),
  "dashboards.delete": everyone((w) => ({ dashboardId: w.dashboardId })),
  "invites.create": everyone((w) => ({ workspaceId: w.workspaceId, role: "member", email: "z@example.com", expiresInDays: 7 })),
  "invites.list": everyone((w) => ({ workspaceId: w.workspaceId })),
  "invites.revoke": everyone((w) => ({ inviteId: w.inviteId })),
  "invites.lookup": { as: "anonymous", input: (w) => ({ token: w.inviteToken }) },
  "invites.accept": { as: "anonymous", input: (w) => ({ token: w.inviteToken, account: { name: "New", email: "new@example.com", password: "long enough" } }) },
  "runData.series": everyone((w) => ({ runId: w.runId, path: "loss", maxPoints: 100, fromStep: 0, toStep: 10 })),
  "runData.updateRun": everyone((w) => ({ runId: w.runId, name: "n", description: "notes", addTags: ["a"], removeTags: ["b"] })),
  "keys.list": everyone(() => undefined),
  "keys.create": everyone((w) => ({ name: "k", projectIds: [w.projectId], readOnly: false, expiresInDays: 30 })),
  "keys.revoke": everyone((w) => ({ keyId: w.ownerPersonalKeyId })),
  "runMedia.files": everyone((w) => ({ runId: w.runId })),
  "runMedia.fileEntries": everyone((w) => ({ runId: w.runId, path: "samples", afterStep: 0, toStep: 5, limit: 10 })),
  "runMedia.fileHead": everyone((w) => ({ runId: w.runId, path: "notes.txt", step: 0, maxBytes: 100 })),
  "runMedia.lines": everyone((w) => ({ runId: w.runId, path: "stdout", beforeStep: 10, limit: 10 })),
  "runMedia.searchLines": everyone((w) => ({ runId: w.runId, path: "stdout", query: "hell", beforeStep: 10, limit: 10 })),
  "projects.list": everyone((w) => ({ workspaceId: w.workspaceId })),
  "projects.create": everyone((w) => ({ workspaceId: w.workspaceId, slug: "new-project", name: "New", visibility: "private" })),
  "projects.settings": everyone((w) => ({ workspace: w.workspaceSlug, project: w.projectSlug })),
  "projects.setAccess": everyone((w) => ({ projectId: w.projectId, visibility: "workspace", defaultRole: "viewer" })),
  "projects.members": everyone((w) => ({ projectId: w.projectId })),
  "projects.addMember": everyone((w) => ({ projectId: w.projectId, userId: w.users.member, role: "viewer" })),
  "projects.setMemberRole": everyone((w) => ({ projectId: w.projectId, userId: w.users.spare, role: "contributor" })),
  "projects.removeMember": everyone((w) => ({ projectId: w.projectId, userId: w.users.spare })),
  "projects.delete": everyone((w) => ({ projectId: w.projectId })),
  "runsTable.query": everyone((w) => ({ workspace: w.workspaceSlug, project: w.projectSlug, query: "params/lr > 0", columns: ["params/lr"], sort: { column: "params/lr", direction: "asc" }, limit: 5, cursor: "x" })),
  "runsTable.fields": everyone((w) => ({ workspace: w.workspaceSlug, project: w.projectSlug })),
  "runsTable.groups": everyone((w) => ({ workspace: w.workspaceSlug, project: w.projectSlug, query: "", by: "sys/state", aggregates: ["params/lr"], limit: 5 })),
  "savedViews.list": everyone((w) => ({ projectId: w.projectId })),
  "savedViews.get": everyone((w) => ({ viewId: w.savedViewId })),
  "savedViews.create": everyone((w) => ({ projectId: w.projectId, name: "v", state: { filter: "params/lr > 0", columns: ["params/lr"], widths: { "params/lr": 100 }, chart: { a: [1, "x"] } } })),
  "savedViews.update": everyone((w) => ({ viewId: w.savedViewId, name: "v2", state: { columns: ["params/lr"] } })),
  "savedViews.delete": everyone((w) => ({ viewId: w.savedViewId })),
  "serviceAccounts.list": everyone((w) => ({ projectId: w.projectId })),
  "serviceAccounts.create": everyone((w) => ({ projectId: w.projectId, name: "bot", role: "viewer" })),
  "serviceAccounts.update": everyone((w) => ({ serviceAccountId: w.serviceAccountId, name: "renamed", role: "viewer" })),
  "serviceAccounts.delete": everyone((w) => ({ serviceAccountId: w.serviceAccountId })),
  "serviceAccounts.createKey": everyone((w) => ({ serviceAccountId: w.serviceAccountId, name: "k2", readOnly: true, expiresInDays: 5 })),
  "serviceAccounts.revokeKey": everyone((w) => ({ serviceAccountId: w.serviceAccountId, keyId: w.serviceAccountKeyId })),
  "shareLinks.list": everyone((w) => ({ projectId: w.projectId })),
  "shareLinks.create": everyone((w) => ({ projectId: w.projectId, target: { kind: "view", view: { filter: "x", columns: ["a"] } }, label: "l", expiresInDays: 3 })),
  "shareLinks.revoke": everyone((w) => ({ linkId: w.shareLinkId })),
  "shareLinks.resolve": { as: "shareLink", input: () => undefined },
  "workspaces.list": everyone(() => undefined),
  "workspaces.get": everyone((w) => ({ slug: w.workspaceSlug })),
  "workspaces.create": everyone(() => ({ name: "W" })),
  "workspaces.rename": everyone((w) => ({ workspaceId: w.workspaceId, name: "Renamed" })),
  "workspaces.members": everyone((w) => ({ workspaceId: w.workspaceId })),
  "workspaces.setRole": everyone((w) => ({ workspaceId: w.workspaceId, userId: w.users.spare, role: "admin" })),
  "workspaces.removeMember": everyone((w) => ({ workspaceId: w.workspaceId, userId: w.users.spare })),
};

/** Nested arrays, built without recursion. */
function deep(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}
const deepText = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;

/** Stands for 10,000 nested arrays in JSON text (JSON.stringify would overflow the stack on them). */
const DEEP_MARK = "@@deep@@";

/** Values that replace a whole input or one leaf of it. */
const replacements = (key: string | null, leaf: unknown, asText = false): [string, unknown][] => {
  const out: [string, unknown][] = [
    ["NUL", "a\u0000b"], ["lone surrogate", "a\ud800b"], ["deep nesting", asText ? DEEP_MARK : deep(10_000)],
    ["Infinity", Infinity], ["NaN", NaN], ["2^63", 2 ** 63], ["-2^63-1", -(2 ** 63) - 1024], ["1e308", 1e308],
    ["object", { x: 1 }], ["array", ["x"]],
  ];
  if (typeof leaf === "string") out.push(["100k characters", "x".repeat(100_000)], ["empty", ""]);
  if (key === "from" || key === "to" || key === "baseUpdatedAt") {
    out.push(["year 300000", "+300000-01-01T00:00:00.000Z"], ["year -5000", "-005000-01-01T00:00:00.000Z"], ["epoch 8.64e15", 8.64e15]);
  }
  return out;
};

type Leaf = { path: (string | number)[]; key: string | null; value: unknown };
function leaves(v: unknown, path: (string | number)[] = []): Leaf[] {
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, Array.isArray(v) ? Number(k) : k]));
  }
  return [{ path, key: typeof path.at(-1) === "string" ? (path.at(-1) as string) : null, value: v }];
}
function setAt(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) }; // eslint-disable-line @typescript-eslint/no-explicit-any
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), value);
  return copy;
}

/** Every malformed variant of a sample: whole-input replacements, then each leaf replaced in turn. */
function mutants(sample: unknown, asText = false): [string, unknown][] {
  const out: [string, unknown][] = replacements(null, sample, asText).map(([n, v]) => [`input = ${n}`, v]);
  if (sample === undefined) return out;
  for (const leaf of leaves(sample)) {
    for (const [n, v] of replacements(leaf.key, leaf.value, asText)) out.push([`${leaf.path.join(".")} = ${n}`, setAt(sample, leaf.path, v)]);
  }
  return out;
}

type RestSample = { method: string; path: (w: World) => string[]; query?: Record<string, string>; body?: unknown; raw?: string };
/** Path segments are listed one by one so each can be replaced with malformed encoding. */
const restSamples: Record<string, RestSample> = {
  "GET /health": { method: "GET", path: () => ["health"] },
  "POST /projects/{ws}/{project}/runs": {
    method: "POST", path: (w) => ["projects", w.workspaceSlug, w.projectSlug, "runs"],
    body: { customId: "c", name: "n", description: "d", tags: ["t"], fields: { "params/x": 1, "params/s": "s" } },
  },
  "POST /runs/{id}/ops": {
    method: "POST", path: (w) => ["runs", w.runId, "ops"],
    body: { batchId: "b", ops: [
      { assign: "params/a", value: "x" }, { assign: "params/d", value: "2020-01-01T00:00:00Z", type: "datetime" },
      { append: "loss", points: [{ step: 100, value: 1, ts: 1_700_000_000_000 }] }, { append: "stdout", points: [{ value: "line" }] },
      { addTags: ["t"] }, { removeTags: ["u"] },
    ] },
  },
  "POST /runs/{id}/finish": { method: "POST", path: (w) => ["runs", w.runId, "finish"], body: { state: "failed" } },
  "GET /runs/{id}": { method: "GET", path: (w) => ["runs", w.runId] },
  "GET /runs/{id}/series/{path}": { method: "GET", path: (w) => ["runs", w.runId, "series", "loss"], query: { maxPoints: "10", fromStep: "0", toStep: "5" } },
  "PUT /runs/{id}/files/{path}": { method: "PUT", path: (w) => ["runs", w.runId, "files", "images", "samples"], query: { step: "9", name: "n", description: "d" }, raw: "bytes" },
  "GET /runs/{id}/files/{path}": { method: "GET", path: (w) => ["runs", w.runId, "files", "samples"], query: { step: "0" } },
  "POST /projects/{ws}/{project}/runs/query": {
    method: "POST", path: (w) => ["projects", w.workspaceSlug, w.projectSlug, "runs", "query"],
    body: { query: "params/lr > 0", sort: { column: "params/lr", direction: "asc" }, columns: ["params/lr"], limit: 5, cursor: "x" },
  },
};

function routeName(method: string, source: string): string {
  return `${method} ${source.replace(/^\^\\\/api\\\/v1/, "").replace(/\$$/, "").replace(/\\\//g, "/")
    .replace("/projects/([^/]+)/([^/]+)", "/projects/{ws}/{project}").replace("/runs/([^/]+)", "/runs/{id}").replace(/\(\.\+\)/g, "{path}")}`;
}

/** JSON text of a value: non-finite numbers as the bare 1e309 / -1e309 a client could send, the deep mark as deep nesting. */
const BIG = ["1e309", "-1e309", "9223372036854775808", "-9223372036854775809"];
function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? `big:${Number.isNaN(x) ? "NaN" : x > 0 ? "1e309" : "-1e309"}` : x))
    .replace(/"big:([-0-9e]+)"/g, "$1").replace(/"big:NaN"/g, "NaN").replace(`"${DEEP_MARK}"`, deepText(10_000));
}

/** Malformed bodies for a JSON route: each leaf replaced, bare huge numbers, and broken JSON/UTF-8. */
function restBodies(sample: unknown): [string, string | Blob][] {
  const out: [string, string | Blob][] = mutants(sample, true).map(([n, v]) => [n, jsonText(v)]);
  for (const leaf of leaves(sample)) {
    if (typeof leaf.value !== "number") continue;
    for (const b of BIG) out.push([`${leaf.path.join(".")} = ${b}`, JSON.stringify(setAt(sample, leaf.path, "@@")).replace('"@@"', b)]);
  }
  out.push(
    ["malformed JSON", "{\"a\": [}"], ["empty body", ""], ["raw NUL byte", "{\"name\": \"a\u0000b\"}"],
    ["invalid UTF-8", new Blob([new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])])],
    ["deep nesting text", deepText(10_000)], ["escaped NUL in a key", "{\"\\u0000\": 1}"],
  );
  return out;
}

const BAD_SEGMENTS = ["%00", "a%00b", "%E0%A4%A", "%", "%ZZ", "%ED%A0%80", "%C0%AF"];
const BAD_QUERY = ["0x10", "1e309", "%00", "", "1e3", "Infinity", "-", "9".repeat(400)];

const headersOf = (c: Credentials): Record<string, string> => ({
  ...(c.cookie ? { cookie: c.cookie } : {}),
  ...(c.bearer ? { authorization: `Bearer ${c.bearer}` } : {}),
  ...(c.share ? { "x-cairn-share": c.share } : {}),
});

/**
 * Row count and content digest of every table, in one statement, so each refused call can be
 * checked to have written nothing. Using a key or link stamps last_used_at (a read, not a write);
 * the writer refreshes sort_last of earlier appends on its own timer; a batch refused while
 * planning (a path's type) still counts as the run's ping (last_ping_at, modified_at).
 */
async function fingerprinter(database: Database): Promise<() => Promise<Record<string, string>>> {
  const tables = await database.rows<{ name: string }>(sql`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const row = (name: string) => `(to_jsonb(t) - 'last_used_at' - 'sort_last' - 'last_ping_at' - 'modified_at')::text`.replace("t)", `"${name}")`);
  const query = tables.map(({ name }) => `SELECT '${name}' AS name, count(*)::text || ':' || coalesce(md5(string_agg(${row(name)}, ',' ORDER BY ${row(name)})), '') AS d FROM "${name}"`).join(" UNION ALL ");
  return async () => Object.fromEntries((await database.rows<{ name: string; d: string }>(sql.raw(query))).map((r) => [r.name, r.d]));
}

test("every tRPC procedure and every /api/v1 route has a malformed-input sample", () => {
  expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(trpcSamples).sort());
  expect(routes.map((r) => routeName(r.method, r.pattern.source)).sort()).toEqual(Object.keys(restSamples).sort());
});

describe.each(databaseKinds())("malformed input on $name", (kind) => {
  let api: ApiServer;
  let world: World;
  let fingerprint: () => Promise<Record<string, string>>;
  beforeAll(async () => {
    ({ api, world } = await startWorldServer(kind));
    fingerprint = await fingerprinter(api.db.database);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  async function callTrpc(path: string, as: ActorName, input: unknown): Promise<{ code: string; message: string }> {
    try {
      const ctx = await createContext(new Request(`${api.url}/api/trpc/${path}`, { headers: headersOf(world.credentials[as]) }));
      const fn = path.split(".").reduce<any>((o, k) => o[k], createCaller(ctx)); // eslint-disable-line @typescript-eslint/no-explicit-any
      await fn(input);
      return { code: "ok", message: "" };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { code: e.code ?? `thrown: ${String(error)}`, message: e.message ?? "" };
    }
  }

  test.each(Object.entries(trpcSamples))("tRPC %s: no 5xx, no leak, a refusal writes nothing", async (path, s) => {
    const problems: string[] = [];
    const isMutation = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]._def.type === "mutation";
    const start = await fingerprint();
    for (const [name, input] of mutants(s.input(world))) {
      const before = isMutation ? await fingerprint() : start;
      const r = await callTrpc(path, s.as ?? "owner", input);
      // Some variants are valid (an empty label, a huge but finite step): those may do their work.
      if (r.code === "ok") continue;
      if (r.code === "INTERNAL_SERVER_ERROR" || r.code.startsWith("thrown")) problems.push(`${name}: ${r.code} ${r.message.slice(0, 200)}`);
      else if (LEAK.test(r.message)) problems.push(`${name}: leaks ${r.message.slice(0, 200)}`);
      if (isMutation && JSON.stringify(await fingerprint()) !== JSON.stringify(before)) problems.push(`${name}: refused with ${r.code} but wrote`);
    }
    if (!isMutation) expect(await fingerprint(), "a read wrote").toEqual(start);
    expect(problems).toEqual([]);
  }, 300_000);

  /** The real HTTP door of tRPC: the route handler Next mounts, given a fetch Request. */
  async function httpTrpc(path: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string>; query?: string }) {
    const url = `${api.url}/api/trpc/${path}${init.query ?? ""}`;
    const req = new Request(url, { method: init.method ?? "POST", body: init.body, headers: { "content-type": "application/json", ...init.headers }, duplex: "half" } as RequestInit);
    const res = await (req.method === "GET" ? trpcGet : trpcPost)(req);
    return { status: res.status, text: await res.text() };
  }

  test.each(Object.keys(trpcSamples))("tRPC over HTTP %s: broken bodies are 4xx", async (path) => {
    const problems: string[] = [];
    const owner = headersOf(world.credentials.owner);
    const bodies: [string, string | Blob][] = [
      ["malformed JSON", "{\"json\": [}"], ["1e309", "{\"json\": 1e309}"], ["2^63", "{\"json\": {\"a\": 9223372036854775808}}"],
      ["NUL", "{\"json\": \"a\\u0000b\"}"], ["raw NUL", "{\"json\": \"a\u0000b\"}"], ["lone surrogate", "{\"json\": \"\\ud800\"}"],
      ["invalid UTF-8", new Blob([new Uint8Array([0x7b, 0x22, 0x6a, 0x73, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])])],
      ["deep nesting", `{"json": ${deepText(10_000)}}`], ["not JSON at all", "\u0000\u0001"],
    ];
    for (const [name, body] of bodies) {
      const r = await httpTrpc(path, { body, headers: owner });
      if (r.status >= 500 || LEAK.test(r.text) || r.text.includes("\"stack\"")) problems.push(`POST ${name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    for (const [name, input] of [["deep", deepText(10_000)], ["NUL", "\"\\u0000\""], ["malformed", "{"]]) {
      const r = await httpTrpc(path, { method: "GET", headers: owner, query: `?input=${encodeURIComponent(`{"json":${input}}`)}` });
      if (r.status >= 500 || LEAK.test(r.text)) problems.push(`GET ${name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  test.each(Object.entries(restSamples))("REST %s: no 5xx, no leak", async (_name, s) => {
    const problems: string[] = [];
    const auth = headersOf(world.credentials.ownerKey);
    const send = async (label: string, segments: string[], query: string, body?: string | Blob) => {
      // A fresh batch id each time: a reused one with other content is a 409 that names digests.
      const sent = typeof body === "string" ? body.replace('"batchId":"b"', `"batchId":"b-${Math.random()}"`) : body;
      const res = await fetch(`${api.url}/api/v1/${segments.join("/")}${query}`, {
        method: s.method, body: s.method === "GET" ? undefined : sent ?? s.raw ?? JSON.stringify(s.body ?? {}),
        headers: { ...auth, "content-type": s.raw !== undefined ? "text/plain" : "application/json" },
      });
      const text = await res.text();
      if (res.status >= 500) problems.push(`${label}: ${res.status} ${text.slice(0, 200)}`);
      else if (res.status >= 400 && LEAK.test(text)) problems.push(`${label}: leaks ${text.slice(0, 200)}`);
      if (res.status >= 400 && s.method !== "GET") {
        // The writer commits after answering nothing else; a refusal must leave every table as it was.
        const after = await fingerprint();
        const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
        if (changed.length > 0) problems.push(`${label}: refused with ${res.status} but wrote ${changed.join(", ")}`);
      }
      if (res.ok && s.method !== "GET") before = await fingerprint();
    };
    let before = await fingerprint();
    const segments = s.path(world);
    const query = s.query ? `?${new URLSearchParams(s.query)}` : "";
    // Each URL segment after the first (the first names the route) replaced with broken encoding.
    for (let i = 1; i < segments.length; i++) {
      for (const bad of BAD_SEGMENTS) await send(`segment ${i} = ${bad}`, segments.map((x, j) => (j === i ? bad : x)), query);
    }
    for (const [name] of Object.entries(s.query ?? {})) {
      for (const bad of BAD_QUERY) {
        const q = Object.entries(s.query!).map(([k, v]) => `${k}=${k === name ? bad : encodeURIComponent(v)}`).join("&");
        await send(`?${name}=${bad}`, segments, `?${q}`);
      }
    }
    if (s.body !== undefined) for (const [name, body] of restBodies(s.body)) await send(`body ${name}`, segments, query, body);
    expect(problems).toEqual([]);
  }, 300_000);

  test("oversize bodies are 413 on every REST route that reads JSON", async () => {
    const auth = headersOf(world.credentials.ownerKey);
    for (const [name, s] of Object.entries(restSamples)) {
      if (s.body === undefined) continue;
      const res = await fetch(`${api.url}/api/v1/${s.path(world).join("/")}`, {
        method: s.method, headers: { ...auth, "content-type": "application/json" }, body: `{"pad": "${"x".repeat(17 * 1024 * 1024)}"}`,
      });
      expect(res.status, name).toBe(413);
      await res.arrayBuffer();
    }
  }, 120_000);

});

describe.each(databaseKinds())("input hardening regressions on $name", (kind) => {
  let api: ApiServer;
  let world: World;
  beforeAll(async () => {
    ({ api, world } = await startWorldServer(kind));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });
  const owner = () => createCaller({ services: api.server.services, actor: { kind: "user", userId: world.users.owner } });
  const rest = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => api.call(method, path, body, {
    authorization: `Bearer ${world.credentials.ownerKey.bearer}`, ...headers,
  });

  test("a NUL in a key name is a 400 naming the field, not a 500 with SQL", async () => {
    await expect(owner().keys.create({ name: "a\u0000b", readOnly: false })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("name") });
  });

  test("an unexpected error is a generic 500 with a request id; the cause stays in the log", async () => {
    const broken = { ...api.server.services.database, rows: async () => { throw new Error(`select * from api_keys where hash = '${"a".repeat(64)}'`); } };
    const caller = createCaller({ services: { ...api.server.services, database: broken as unknown as Database }, actor: { kind: "user", userId: world.users.owner } });
    const error = (await caller.keys.list().catch((e: unknown) => e)) as { code: string; message: string; cause?: unknown };
    expect(error).toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    expect(error.message).toMatch(/^internal server error \(request [0-9a-f-]{36}\)$/);
    expect(error.cause).toBeUndefined();
  });

  test("REST: ts beyond int64, dates outside PostgreSQL's range and NULs are 400 with the position", async () => {
    const ops = (list: unknown) => rest("POST", `/api/v1/runs/${world.runId}/ops`, { batchId: `x-${Math.random()}`, ops: list });
    for (const [list, where] of [
      [[{ append: "loss", points: [{ value: 1, ts: 2 ** 63 }] }], "ops[0].points[0].ts"],
      [[{ assign: "d", value: "+300000-01-01T00:00:00Z", type: "datetime" }], "ops[0].value"],
      [[{ assign: "d", value: -8.64e15, type: "datetime" }], "ops[0].value"],
      [[{ append: "log", points: [{ value: "a\ud800" }] }], "ops[0].points[0].value"],
    ] as const) {
      const r = await ops(list);
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error.message).toContain(where);
    }
    for (const [body, where] of [[{ name: "a\u0000" }, "name"], [{ description: "a\u0000" }, "description"], [{ customId: "a\u0000" }, "customId"]] as const) {
      const r = await rest("POST", `/api/v1/projects/${world.workspaceSlug}/${world.projectSlug}/runs`, body);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain(where);
    }
    expect((await rest("POST", `/api/v1/projects/a%00b/${world.projectSlug}/runs`, {})).json.error.message).toContain("workspace");
    expect((await rest("POST", `/api/v1/projects/%E0%A4%A/${world.projectSlug}/runs`, {})).status).toBe(400);
    expect((await rest("GET", `/api/v1/runs/${world.runId}/series/lo%00ss`)).status).toBe(400);
    const put = await fetch(`${api.url}/api/v1/runs/${world.runId}/files/samples?name=a%00b`, {
      method: "PUT", body: "x", headers: { authorization: `Bearer ${world.credentials.ownerKey.bearer}` },
    });
    expect(put.status).toBe(400);
  });

  test("the log gets a short excerpt of an unexpected error, never the statement's parameters", () => {
    const huge = Object.assign(new Error(`Failed query: insert into float_points params: ${"1,".repeat(2_000_000)}`), { parameters: ["x".repeat(4_000_000)] });
    expect(errorExcerpt(huge).length).toBeLessThan(1000);
  });

  test("tRPC bodies beyond the limit are 413, batches beyond 50 calls 400, without reading the whole body", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += 65536;
        if (pulled > 600 * 1024 * 1024) c.close();
        else c.enqueue(new Uint8Array(65536).fill(0x20));
      },
    });
    const res = await trpcPost(new Request(`${api.url}/api/trpc/account.signUp`, { method: "POST", body: endless, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit));
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    const signedIn = await trpcPost(new Request(`${api.url}/api/trpc/keys.create`, {
      method: "POST", body: `{"json":{"name":"${"x".repeat(1024 * 1024)}"}}`, headers: { "content-type": "application/json", ...headersOf(world.credentials.owner) },
    }));
    expect(signedIn.status).toBe(413);
    const calls = Array.from({ length: 51 }, () => "account.status").join(",");
    const batch = await trpcGet(new Request(`${api.url}/api/trpc/${calls}?batch=1&input={}`));
    expect(batch.status).toBe(400);
    expect(await batch.text()).toContain("at most 50");
    const ok = await trpcGet(new Request(`${api.url}/api/trpc/${Array.from({ length: 50 }, () => "account.status").join(",")}?batch=1&input={}`));
    expect(ok.status).toBe(200);
  });

  test("another tenant's run, dashboard and view answer the same 404 body as missing ones", async () => {
    const other = await buildWorld(api.server.services, api.url);
    const missing = "00000000-0000-0000-0000-000000000000";
    const stranger = { authorization: `Bearer ${other.credentials.ownerKey.bearer}` };
    const theirs = await api.call("GET", `/api/v1/runs/${world.runId}`, undefined, stranger);
    const none = await api.call("GET", `/api/v1/runs/${missing}`, undefined, stranger);
    expect(theirs.status).toBe(404);
    expect(theirs.json).toEqual(none.json);
    const as = createCaller({ services: api.server.services, actor: { kind: "user", userId: other.users.owner } });
    const msg = (p: Promise<unknown>) => p.then(() => "ok", (e: { code: string; message: string }) => `${e.code} ${e.message}`);
    expect(await msg(as.runData.series({ runId: world.runId, path: "loss" }))).toBe(await msg(as.runData.series({ runId: missing, path: "loss" })));
    expect(await msg(as.dashboards.get({ dashboardId: world.dashboardId }))).toBe(await msg(as.dashboards.get({ dashboardId: missing })));
    expect(await msg(as.savedViews.get({ viewId: world.savedViewId }))).toBe(await msg(as.savedViews.get({ viewId: missing })));
    expect(await msg(as.serviceAccounts.update({ serviceAccountId: world.serviceAccountId, name: "x" }))).toBe(await msg(as.serviceAccounts.update({ serviceAccountId: missing, name: "x" })));
    expect(await msg(as.shareLinks.revoke({ linkId: world.shareLinkId }))).toBe(await msg(as.shareLinks.revoke({ linkId: missing })));
  });

  test("a batchId reused with other content is a 409 naming both digests; the same content stays a 200 duplicate", async () => {
    const send = (value: number) => rest("POST", `/api/v1/runs/${world.runId}/ops`, { batchId: "reused", ops: [{ assign: "params/r", value }] });
    expect((await send(1)).status).toBe(200);
    expect((await send(1)).json).toEqual({ applied: 0, duplicate: true });
    const r = await send(2);
    expect(r.status).toBe(409);
    expect(r.json.error.message, JSON.stringify(r.json)).toMatch(/sha256 [0-9a-f]{16}…; this one [0-9a-f]{16}…/);
  });

  test("numeric query parameters are decimal only (?step=0x10 is a 400)", async () => {
    const r = await rest("GET", `/api/v1/runs/${world.runId}/files/samples?step=0x10`);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("?step");
    expect((await rest("GET", `/api/v1/runs/${world.runId}/series/loss?maxPoints=1e3`)).status).toBe(400);
  });

  test("finish names the unknown key, not state", async () => {
    const r = await rest("POST", `/api/v1/runs/${world.otherRunId}/finish`, { state: "failed", x: 1 });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('"x"');
  });

  test("a share token on /api/v1 reads with GET and is refused (401) on writes, as docs/access.md says", async () => {
    const share = { authorization: "", "x-cairn-share": world.credentials.shareLink.share! };
    expect((await api.call("GET", `/api/v1/runs/${world.runId}`, undefined, share)).status).toBe(200);
    expect((await api.call("POST", `/api/v1/runs/${world.runId}/finish`, { state: "failed" }, share)).status).toBe(401);
  });
});
