import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { MAX_TRPC_BATCH, TRPC_BODY_LIMITS } from "@/server/api/bounded-request";
import { createContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";
import { createCallerFactory, publicProcedure, router } from "@/server/api/trpc";
import { errorExcerpt } from "@/server/errors";
import { startWorldServer, type ActorName, type World } from "./helpers/access-world";
import type { ApiServer } from "./helpers/api-server";
import { databaseKinds } from "./helpers/databases";

/*
 * Named regressions for invalid input: each test pins one way a bad request used to become a
 * 500, leak a database message, read without a limit, or tell a hidden object from a missing one.
 */

const HASH = /\b[0-9a-f]{64}\b/i;
const SQL = /\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set)\b/i;

describe.each(databaseKinds())("input hardening on $name", (kind) => {
  let s: ApiServer;
  let world: World;
  let runId: string;
  beforeAll(async () => {
    ({ api: s, world } = await startWorldServer(kind));
    runId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const caller = async (as: ActorName) => {
    const c = world.credentials[as];
    const headers: Record<string, string> = {
      ...(c.cookie ? { cookie: c.cookie } : {}), ...(c.bearer ? { authorization: `Bearer ${c.bearer}` } : {}), ...(c.share ? { "x-cairn-share": c.share } : {}),
    };
    return createCaller(await createContext(new Request(`${s.url}/api/trpc`, { headers })));
  };
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error("expected a refusal");
  };

  describe("tRPC: invalid input is a 400 naming the field, never a 500 carrying SQL or hashes", () => {
    test("a NUL character in a key name is BAD_REQUEST naming name", async () => {
      const e = await refusal((await caller("owner")).keys.create({ name: "a\u0000b", projectIds: [world.projectId] }));
      expect(e.code).toBe("BAD_REQUEST");
      expect(e.message).toContain("name");
      expect(e.message).not.toMatch(SQL);
      expect(e.message).not.toMatch(HASH);
    });
    test("a NUL character or lone surrogate in an invite token is BAD_REQUEST without the token's hash", async () => {
      for (const token of ["cs_\u0000", "cs_\ud800"]) {
        const e = await refusal((await caller("anonymous")).invites.lookup({ token }));
        expect(e.code).toBe("BAD_REQUEST");
        expect(e.message).not.toMatch(HASH);
        expect(e.message).not.toMatch(SQL);
      }
    });
    test("an out-of-range date in an audit filter is BAD_REQUEST", async () => {
      const e = await refusal((await caller("owner")).audit.list({ projectId: world.projectId, from: "+300000-01-01T00:00:00.000Z" }));
      expect(e.code).toBe("BAD_REQUEST");
    });
    test("an unexpected error is a generic 500 with a request id; its SQL and parameters stay in the log", async () => {
      const failing = router({
        boom: publicProcedure.query(() => {
          throw new Error(`insert into api_keys (name, secret_hash) values ($1, $2) -- params: a\u0000b, ${"ab".repeat(32)}`);
        }),
      });
      const logged: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => { logged.push(args.map(String).join(" ")); };
      try {
        const e = await refusal(createCallerFactory(failing)({ services: s.server.services, actor: null }).boom());
        expect(e.code).toBe("INTERNAL_SERVER_ERROR");
        expect(e.message).toMatch(/^internal server error \(request [0-9a-f-]{36}\)$/);
        expect(logged.join("\n")).toContain(e.message.slice(e.message.indexOf("request ") + 8, -1));
      } finally {
        console.error = original;
      }
    });
    test("a 5xx over HTTP carries a request id and no stack", async () => {
      // A body that is not JSON at all is refused before any procedure; nothing may echo internals.
      const res = await trpcPost(new Request(`${s.url}/api/trpc/keys.list`, { method: "POST", body: "\u0000", headers: { "content-type": "application/json" } }));
      const text = await res.text();
      expect(res.status).toBeLessThan(500);
      expect(text).not.toContain("\"stack\"");
    });
  });

  describe("REST: invalid input is a 400 with its position", () => {
    const ops = (list: unknown) => s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: `b-${Math.random()}`, ops: list });
    test("a ts beyond int64 is 400 naming the point", async () => {
      const r = await s.call("POST", `/api/v1/runs/${runId}/ops`, `{"batchId":"big-ts","ops":[{"append":"loss","points":[{"value":1,"ts":9223372036854775808}]}]}`);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain("ops[0].points[0].ts");
    });
    test("a datetime outside PostgreSQL's range is 400 naming the op", async () => {
      for (const value of ["+300000-01-01T00:00:00.000Z", "-005000-01-01T00:00:00.000Z", 8.64e15]) {
        const r = await ops([{ assign: "params/when", value, type: "datetime" }]);
        expect(r.status, JSON.stringify(r.json)).toBe(400);
        expect(r.json.error.message).toContain("ops[0]");
      }
    });
    test("NUL in a run's name, description or customId is 400 naming the field", async () => {
      for (const field of ["name", "description", "customId"]) {
        const r = await s.call("POST", "/api/v1/projects/acme/iris/runs", { [field]: "a\u0000b" });
        expect(r.status).toBe(400);
        expect(r.json.error.message).toContain(field);
      }
    });
    test("NUL in a file series' name or description is 400 naming the parameter", async () => {
      for (const q of ["name=a%00b", "description=a%00b"]) {
        const r = await s.call("PUT", `/api/v1/runs/${runId}/files/samples?step=1&${q}`, "bytes", { "content-type": "text/plain" });
        expect(r.status).toBe(400);
        expect(r.json.error.message).toContain(q.split("=")[0]);
      }
    });
    test("%00 and malformed percent-encoding in a URL segment are 400 naming the segment", async () => {
      for (const [path, where] of [
        ["/api/v1/projects/ac%00me/iris/runs", "workspace"], ["/api/v1/projects/%E0%A4%A/iris/runs", "workspace"],
        ["/api/v1/projects/acme/%ZZ/runs", "project"], [`/api/v1/runs/${runId}/series/lo%00ss`, "path"],
      ]) {
        const r = await s.call(path.includes("series") ? "GET" : "POST", path, path.includes("series") ? undefined : {});
        expect(r.status, path).toBe(400);
        expect(r.json.error.message).toContain(where);
      }
    });
    test("invalid UTF-8 in a body is 400 with the byte position", async () => {
      const res = await fetch(`${s.url}/api/v1/runs/${runId}/ops`, {
        method: "POST", headers: { authorization: `Bearer ${s.key}`, "content-type": "application/json" },
        body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain("byte 2");
    });
    test("the log gets a short excerpt of an unexpected error, never its whole parameters", () => {
      const error = Object.assign(new Error(`insert failed: ${"1.5,".repeat(1_000_000)}`), { code: "22P05" });
      expect(errorExcerpt(error).length).toBeLessThan(600);
    });
  });

  describe("tRPC body size", () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      trpcPost(new Request(`${s.url}/api/trpc/${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }));
    test("a body beyond the signed-in limit is 413", async () => {
      const res = await post("workspaces.create", JSON.stringify({ json: { name: "x".repeat(TRPC_BODY_LIMITS.signedIn + 1) } }), { cookie: world.credentials.owner.cookie! });
      expect(res.status).toBe(413);
    });
    test("an anonymous body beyond the small-form limit is 413", async () => {
      const res = await post("account.signUp", JSON.stringify({ json: { name: "x".repeat(TRPC_BODY_LIMITS.anonymous + 1), email: "a@b.c", password: "long enough" } }));
      expect(res.status).toBe(413);
    });
    test("a batch longer than the cap is refused before any call runs", async () => {
      const paths = Array.from({ length: MAX_TRPC_BATCH + 1 }, () => "account.status").join(",");
      const res = await trpcGet(new Request(`${s.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(`at most ${MAX_TRPC_BATCH}`);
    });
  });

  test("another tenant's run and a missing run answer the same 404 body", async () => {
    const other = await s.newKey({ email: "mallory@evil.example", workspace: "evil", project: "spy" });
    const auth = { authorization: `Bearer ${other.key}` };
    const hidden = await s.call("GET", `/api/v1/runs/${runId}`, undefined, auth);
    const missing = await s.call("GET", "/api/v1/runs/00000000-0000-0000-0000-000000000000", undefined, auth);
    expect(hidden.status).toBe(404);
    expect(hidden.json).toEqual(missing.json);
    const finishHidden = await s.call("POST", `/api/v1/runs/${runId}/finish`, { state: "failed" }, auth);
    const finishMissing = await s.call("POST", "/api/v1/runs/00000000-0000-0000-0000-000000000000/finish", { state: "failed" }, auth);
    expect(finishHidden.json).toEqual(finishMissing.json);
    // tRPC says the same of a run in a project the caller cannot see.
    const outsider = await caller("outsider");
    const a = await refusal(outsider.runData.series({ runId: world.runId, path: "loss" }));
    const b = await refusal(outsider.runData.series({ runId: "00000000-0000-0000-0000-000000000000", path: "loss" }));
    expect([a.code, a.message]).toEqual([b.code, b.message]);
  });

  describe("several", () => {
    test("a batchId reused with other content is a 409 naming both digests; the same content stays a 200 duplicate", async () => {
      const body = { batchId: "reused", ops: [{ assign: "params/lr", value: 0.1 }] };
      expect((await s.call("POST", `/api/v1/runs/${runId}/ops`, body)).json).toEqual({ applied: 1 });
      expect((await s.call("POST", `/api/v1/runs/${runId}/ops`, body)).json).toEqual({ applied: 0, duplicate: true });
      const r = await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: "reused", ops: [{ assign: "params/lr", value: 0.2 }] });
      expect(r.status).toBe(409);
      expect(r.json.error.message).toMatch(/sha256 [0-9a-f]{16}….*this one [0-9a-f]{16}…/);
      expect(r.json.error.message).not.toMatch(HASH);
      expect((await s.call("GET", `/api/v1/runs/${runId}`)).json.fields["params/lr"]).toBe(0.1);
    });
    test("?step is decimal only: 0x10, 1e3 and an empty value are 400", async () => {
      for (const step of ["0x10", "1e3", ""]) {
        const r = await s.call("GET", `/api/v1/runs/${runId}/files/samples?step=${step}`);
        expect(r.status, step).toBe(400);
        expect(r.json.error.message).toContain("?step");
      }
    });
    test("finish with an unknown key names that key, not state", async () => {
      const r = await s.call("POST", `/api/v1/runs/${runId}/finish`, { state: "failed", x: 1 });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain("x");
      expect(r.json.error.message).not.toMatch(/^state/);
    });
    test("a share token may read a run over GET /api/v1, as docs/access.md says", async () => {
      const r = await s.call("GET", `/api/v1/runs/${world.runId}`, undefined, { authorization: "", "x-cairn-share": world.credentials.shareLink.share! });
      expect(r.status).toBe(200);
      const write = await s.call("POST", `/api/v1/runs/${world.runId}/finish`, { state: "failed" }, { authorization: "", "x-cairn-share": world.credentials.shareLink.share! });
      expect(write.status).toBe(401);
    });
  });
});
