import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { revokeApiKey } from "@/server/services/keys/revoke-api-key";
import { sql } from "drizzle-orm";

describe.each(databaseKinds())("errors on $name", (kind) => {
  let s: ApiServer;
  let runId: string;
  beforeAll(async () => {
    s = await startApiServer(kind);
    runId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id;
    await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: "seed", ops: [{ assign: "params/lr", value: 0.1 }, { append: "loss", points: [{ value: 1 }] }] });
  });
  afterAll(async () => { await s?.close(); });

  const ops = (list: unknown, headers?: Record<string, string>) =>
    s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: `b-${Math.random()}`, ops: list }, headers);

  const expectError = (r: { status: number; json: any }, status: number, ...fragments: string[]) => {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    expect(Object.keys(r.json)).toEqual(["error"]);
    expect(typeof r.json.error.code).toBe("string");
    for (const f of fragments) expect(r.json.error.message).toContain(f);
  };

  test("malformed JSON", async () => {
    expectError(await s.call("POST", `/api/v1/runs/${runId}/ops`, '{"batchId": "x", "ops": [}'), 400, "malformed JSON");
    expectError(await s.call("POST", "/api/v1/projects/acme/iris/runs", "nope"), 400, "malformed JSON");
    expectError(await s.call("POST", `/api/v1/runs/${runId}/ops`, ""), 400, "empty");
  });

  test("envelope errors name the field", async () => {
    expectError(await s.call("POST", `/api/v1/runs/${runId}/ops`, { ops: [] }), 400, "batchId");
    expectError(await s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: "x", ops: {} }), 400, "ops", "array");
    expectError(await s.call("POST", `/api/v1/runs/${runId}/ops`, [1, 2]), 400, "body");
    expectError(await s.call("POST", "/api/v1/projects/acme/iris/runs", { nmae: "typo" }), 400, "nmae");
    expectError(await s.call("POST", "/api/v1/projects/acme/iris/runs", { tags: [""] }), 400, "tags");
  });

  test("unknown op and bad op shapes name the op index", async () => {
    expectError(await ops([{ assign: "a", value: 1 }, { upsert: "a", value: 1 }]), 400, "ops[1]", "unknown op");
    expectError(await ops([{ append: "loss", points: [{ value: 1 }, { value: {} }] }]), 400, "ops[0].points[1].value");
    expectError(await ops([{ append: "loss", points: [{ step: "x", value: 1 }] }]), 400, "ops[0].points[0].step");
    expectError(await ops([{ append: "loss", points: [] }]), 400, "ops[0].points", "empty");
    expectError(await ops([{ assign: "a", value: [1] }]), 400, "ops[0].value");
    expectError(await ops([{ assign: "a", value: "x", type: "date" }]), 400, "ops[0].type");
    expectError(await ops([{ addTags: "x" }]), 400, "ops[0].addTags");
    expectError(await ops([{ append: "new", points: [{ value: 1 }, { value: "text" }] }]), 400, "ops[0].points[1].value");
    expectError(await ops([{ assign: "a", value: "nul\u0000byte" }]), 400, "ops[0].value", "NUL");
  });

  test("bad paths", async () => {
    expectError(await ops([{ assign: "a//b", value: 1 }]), 400, "ops[0].assign", "empty segment");
    expectError(await ops([{ assign: "a/b c", value: 1 }]), 400, "ops[0].assign", "segment");
    expectError(await ops([{ assign: "x".repeat(129), value: 1 }]), 400, "longer than 128");
    expectError(await ops([{ assign: ("abc/").repeat(300) + "d", value: 1 }]), 400, "1024");
    expectError(await ops([{ assign: "sys/state", value: "hacked" }]), 400, "sys/");
    expectError(await ops([{ append: "a/../b", points: [{ value: 1 }] }]), 400, "ops[0].append");
    expectError(await s.call("POST", "/api/v1/projects/acme/iris/runs", { fields: { "bad path": 1 } }), 400, 'fields["bad path"]');
  });

  test("a path keeps its type", async () => {
    expectError(await ops([{ assign: "params/lr", value: "high" }]), 400, "params/lr", "float", "string");
    expectError(await ops([{ append: "params/lr", points: [{ value: 1 }] }]), 400, "params/lr", "float", "floatSeries");
    expectError(await ops([{ assign: "loss", value: 1 }]), 400, "loss", "floatSeries", "float");
    expectError(await ops([{ append: "loss", points: [{ value: "text" }] }]), 400, "loss", "floatSeries", "stringSeries");
    expectError(await ops([{ assign: "loss", value: null }]), 400, "loss");
    expectError(await s.call("PUT", `/api/v1/runs/${runId}/files/params/lr`, "bytes", { "content-type": "text/plain" }), 400, "params/lr", "file");
  });

  test("oversize requests are 413", async () => {
    const points = Array.from({ length: 100_001 }, (_, i) => ({ step: i, value: i }));
    expectError(await ops([{ append: "big", points }]), 413, "100000");
    const text = "x".repeat(60_000);
    const many = Array.from({ length: 300 }, (_, i) => ({ append: `t${i}`, points: [{ value: text }] }));
    expectError(await ops(many), 413, "16777216");
    // Nothing of either was written.
    const view = (await s.call("GET", `/api/v1/runs/${runId}`)).json;
    expect(view.series).not.toHaveProperty("big");
    expect(view.series).not.toHaveProperty("t0");
  });

  test("missing, unknown and revoked keys are 401", async () => {
    expectError(await ops([], { authorization: "" }), 401, "missing API key");
    expectError(await ops([], { authorization: "Bearer cairn_nope" }), 401, "unknown API key");
    const extra = await s.newKey({ email: "owner@example.com", workspace: "acme", project: "iris" });
    expect((await ops([], { authorization: `Bearer ${extra.key}` })).status).toBe(200);
    const [row] = await s.db.database.rows<{ id: string }>(sql`SELECT id FROM api_keys ORDER BY created_at DESC LIMIT 1`);
    await revokeApiKey({ ...s.server.services, actor: { kind: "system", job: "test" } }, { keyId: row.id });
    expectError(await ops([], { authorization: `Bearer ${extra.key}` }), 401, "revoked");
  });

  test("read-only keys may read but not write (403)", async () => {
    const ro = await s.newKey({ email: "reader@example.com", workspace: "acme", project: "iris", readOnly: true });
    const auth = { authorization: `Bearer ${ro.key}` };
    expect((await s.call("GET", `/api/v1/runs/${runId}`, undefined, auth)).status).toBe(200);
    expectError(await ops([{ assign: "x", value: 1 }], auth), 403, "read-only");
    expectError(await s.call("POST", "/api/v1/projects/acme/iris/runs", {}, auth), 403);
  });

  test("another tenant's runs and projects are 404, never 403", async () => {
    const other = await s.newKey({ email: "mallory@evil.example", workspace: "evil", project: "spy" });
    const auth = { authorization: `Bearer ${other.key}` };
    const probes = [
      s.call("GET", `/api/v1/runs/${runId}`, undefined, auth),
      s.call("POST", `/api/v1/runs/${runId}/ops`, { batchId: "x", ops: [] }, auth),
      s.call("POST", `/api/v1/runs/${runId}/finish`, { state: "failed" }, auth),
      s.call("GET", `/api/v1/runs/${runId}/series/loss`, undefined, auth),
      s.call("GET", `/api/v1/runs/${runId}/files/anything`, undefined, auth),
      s.call("PUT", `/api/v1/runs/${runId}/files/evil`, "x", auth),
      s.call("POST", "/api/v1/projects/acme/iris/runs", {}, auth),
    ];
    for (const r of await Promise.all(probes)) expectError(r, 404, "not found");
    // Unknown ids look the same as invisible ones.
    expectError(await s.call("GET", "/api/v1/runs/00000000-0000-0000-0000-000000000000"), 404);
    expectError(await s.call("GET", "/api/v1/runs/not-a-uuid"), 404);
    expectError(await s.call("POST", "/api/v1/projects/acme/nope/runs", {}), 404);
    // The other tenant's own project still works for it.
    expect((await s.call("POST", "/api/v1/projects/evil/spy/runs", {}, auth)).status).toBe(201);
    expect((await s.call("GET", `/api/v1/runs/${runId}`)).json.state).toBe("running");
  });

  test("unknown routes are 404 JSON", async () => {
    expectError(await s.call("GET", "/api/v1/nothing"), 404);
    expectError(await s.call("DELETE", `/api/v1/runs/${runId}`), 404);
  });
});
