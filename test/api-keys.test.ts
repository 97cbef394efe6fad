import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { io as connect } from "socket.io-client";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { revokeApiKey } from "@/server/services/keys/revoke-api-key";
import { listApiKeys } from "@/server/services/keys/list-api-keys";
import type { Actor } from "@/server/authz/actor";

describe.each(databaseKinds())("API keys on $name", (kind) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(kind); });
  afterAll(async () => { await s?.close(); });

  const ctx = (actor: Actor) => ({ ...s.server.services, actor });
  const keyRow = async (secretPrefix: string) =>
    (await s.db.database.rows<{ id: string; user_id: string }>(sql`SELECT id, user_id FROM api_keys WHERE prefix = ${secretPrefix}`))[0];

  test("revoking takes effect on the next request, closes the key's sockets, and is audited", async () => {
    const { key } = await s.newKey({ email: "ann@example.com", workspace: "acme", project: "iris" });
    const row = await keyRow(key.slice(0, 12));
    const auth = { authorization: `Bearer ${key}` };
    expect((await s.call("POST", "/api/v1/projects/acme/iris/runs", {}, auth)).status).toBe(201);

    const socket = connect(s.url, { auth: { apiKey: key }, transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve, reject) => { socket.once("connect", () => resolve()); socket.once("connect_error", reject); });
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));

    // Another user cannot revoke it, and cannot tell it exists.
    const other = await s.newKey({ email: "bob@example.com", workspace: "elsewhere", project: "p" });
    const bob = await keyRow(other.key.slice(0, 12));
    await expect(revokeApiKey(ctx({ kind: "user", userId: bob.user_id }), { keyId: row.id })).rejects.toThrow(/not found/);

    expect(await revokeApiKey(ctx({ kind: "user", userId: row.user_id }), { keyId: row.id })).toEqual({ revoked: true });
    expect(await closed).toBe("io server disconnect");
    const after = await s.call("POST", "/api/v1/projects/acme/iris/runs", {}, auth);
    expect(after.status).toBe(401);
    expect(after.json.error.message).toContain("revoked");
    expect(await revokeApiKey(ctx({ kind: "user", userId: row.user_id }), { keyId: row.id })).toEqual({ revoked: false });

    const audit = await s.db.database.rows<{ action: string; actor_kind: string; actor_id: string; before: unknown; after: unknown }>(sql`
      SELECT action, actor_kind, actor_id, before, after FROM audit_events WHERE target_id = ${row.id} ORDER BY created_at`);
    expect(audit.map((a) => a.action)).toEqual(["apiKey.create", "apiKey.revoke"]);
    const revokeRow = audit[1];
    expect(revokeRow).toMatchObject({ actor_kind: "user", actor_id: row.user_id });
    const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
    expect(parse(revokeRow.before)).toMatchObject({ revoked: false });
    expect(parse(revokeRow.after)).toMatchObject({ revoked: true });
    socket.disconnect();
  });

  test("a user lists their own keys without secrets, and nobody else's", async () => {
    const a = await s.newKey({ email: "cat@example.com", workspace: "acme", project: "iris", readOnly: true });
    const row = await keyRow(a.key.slice(0, 12));
    const keys = await listApiKeys(ctx({ kind: "user", userId: row.user_id }), { userId: row.user_id });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ prefix: a.key.slice(0, 12), readOnly: true, projectIds: [a.projectId], revokedAt: null });
    expect(JSON.stringify(keys)).not.toContain(a.key);
    expect(await listApiKeys(ctx({ kind: "user", userId: "00000000-0000-0000-0000-000000000000" }), { userId: row.user_id })).toEqual([]);
  });
});
