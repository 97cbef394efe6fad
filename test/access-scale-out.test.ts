import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import postgres from "postgres";
import { io as connect } from "socket.io-client";
import { startServer, type ServerProcess } from "./helpers/server";
import { adminSession, trpc } from "./helpers/sessions";
import { disconnected } from "./helpers/people";

const redisUrl = process.env.TEST_REDIS_URL;
const root = path.resolve(import.meta.dirname, "..");

// Access decisions are cached per process for a moment; a revocation made on one process must
// reach the others at once (over Redis), not when their caches expire.
describe.runIf(process.env.TEST_DATABASE_URL && redisUrl)("revocation across processes", () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let runOnB: { id: string };
  beforeAll(async () => {
    const start = (await import(pathToFileURL(path.join(root, "scripts/start.mjs")).href)) as { ensureBuild(o: { log: () => void }): Promise<boolean> };
    await start.ensureBuild({ log: () => {} });
    a = await startServer({ web: true, env: { REDIS_URL: redisUrl! } });
    b = await startServer({ env: { REDIS_URL: redisUrl! }, shareWith: a });
  }, 300_000);
  afterAll(async () => {
    await b?.terminate();
    await a?.stop();
  });

  test("a key revoked through one process is refused by the other on its next request, and its sockets there close", async () => {
    const cookie = await adminSession(a.url);
    const created = await trpc<{ id: string; secret: string }>(a.url, "keys.create", { name: "ci" , readOnly: false }, { cookie });
    expect(created.error).toBeUndefined();
    const key = created.data!.secret;
    const get = (server: ServerProcess, p: string) => fetch(server.url + p, { headers: { authorization: `Bearer ${key}` } });
    const run = await (await fetch(`${b.url}/api/v1/projects/acme/iris/runs`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{}",
    })).json() as { id: string };
    runOnB = run;
    // Warm process b's caches with the key.
    for (let i = 0; i < 3; i++) expect((await get(b, `/api/v1/runs/${run.id}`)).status).toBe(200);
    const socket = connect(b.url, { auth: { apiKey: key }, transports: ["websocket"], reconnection: false });
    await new Promise((resolve) => socket.on("connect", () => resolve(null)));
    // Asking to leave the key's room changes nothing: process b knows the socket by its key.
    expect(await socket.emitWithAck("leave", `key:${created.data!.id}`)).toMatchObject({ ok: false, error: { code: "invalid" } });
    const closed = disconnected(socket);

    expect((await trpc(a.url, "keys.revoke", { keyId: created.data!.id }, { cookie })).error).toBeUndefined();
    const revokedAt = Date.now();
    let status = 0;
    while ((status = (await get(b, `/api/v1/runs/${run.id}`)).status) === 200 && Date.now() - revokedAt < 1_500) await new Promise((r) => setTimeout(r, 5));
    expect(status).toBe(401);
    // The in-process cache lives 2 s; refusal well inside that shows the Redis message did it.
    expect(Date.now() - revokedAt).toBeLessThan(500);
    expect(await closed).toBe("io server disconnect");
  }, 60_000);

  test("a share link revoked through one process closes its socket on the other, even after it asked to leave its link room", async () => {
    const cookie = await adminSession(a.url);
    const sql = postgres(a.databaseUrl!, { max: 1, onnotice: () => {} });
    const [{ project_id: projectId }] = await sql<{ project_id: string }[]>`SELECT project_id FROM runs WHERE id = ${runOnB.id}`;
    await sql.end();
    const link = await trpc<{ id: string; token: string }>(a.url, "shareLinks.create", { projectId, target: { kind: "run", runId: runOnB.id } }, { cookie });
    expect(link.error).toBeUndefined();
    const socket = connect(b.url, { auth: { shareToken: link.data!.token }, transports: ["websocket"], reconnection: false });
    await new Promise((resolve) => socket.on("connect", () => resolve(null)));
    expect(await socket.emitWithAck("join", `run:${runOnB.id}`)).toEqual({ ok: true });
    expect(await socket.emitWithAck("leave", `share:${link.data!.id}`)).toMatchObject({ ok: false });
    const closed = disconnected(socket);
    expect((await trpc(a.url, "shareLinks.revoke", { linkId: link.data!.id }, { cookie })).error).toBeUndefined();
    expect(await closed).toBe("io server disconnect");
  }, 60_000);
});
