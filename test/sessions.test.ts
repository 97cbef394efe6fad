import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PAIR } from "@/server/services/accounts/sign-in-throttle";
import { startServer, type ServerProcess } from "./helpers/server";
import { adminSession, signIn, trpc } from "./helpers/sessions";

const root = path.resolve(import.meta.dirname, "..");
let server: ServerProcess;

beforeAll(async () => {
  const start = (await import(pathToFileURL(path.join(root, "scripts/start.mjs")).href)) as {
    ensureBuild(opts: { log: (msg: string) => void }): Promise<boolean>;
  };
  await start.ensureBuild({ log: () => {} });
  server = await startServer({ web: true });
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

test("a session made without any configured secret survives a restart, and its cookie may read /api/v1 but never write", async () => {
  const cookie = await adminSession(server.url);
  const me = await trpc<{ email: string }>(server.url, "account.me", undefined, { kind: "query", cookie });
  expect(me.data?.email).toBe("sdk@example.com");
  // The session also opens the read-only REST routes for the browser (file downloads, series).
  const run = await (await fetch(`${server.url}/api/v1/projects/acme/iris/runs`, {
    method: "POST", headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" }, body: "{}",
  })).json() as { id: string };
  expect((await fetch(`${server.url}/api/v1/runs/${run.id}`, { headers: { cookie } })).status).toBe(200);
  // ...but never writes: a cross-site form could send the cookie.
  const write = await fetch(`${server.url}/api/v1/runs/${run.id}/finish`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" });
  expect(write.status).toBe(401);

  expect(await server.terminate()).toBe(0);
  await server.restart();
  const after = await trpc<{ email: string }>(server.url, "account.me", undefined, { kind: "query", cookie });
  expect(after.data?.email).toBe("sdk@example.com");
  // A forged cookie is nobody.
  const forged = await trpc(server.url, "account.me", undefined, { kind: "query", cookie: "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.x.y.z" });
  expect(forged.error?.code).toBe("UNAUTHORIZED");
}, 120_000);

test("sign-in failures say only 'wrong email or password' and are slowed down per account and address", async () => {
  const adminCookie = await adminSession(server.url);
  const unknown = await signIn(server.url, "nobody@example.com", "whatever-password");
  const wrong = await signIn(server.url, "sdk@example.com", "not the password");
  expect(unknown.cookie).toBe("");
  expect(wrong.cookie).toBe("");
  // next-auth's code for a refused credential; the sign-in page turns it into "wrong email or password".
  expect(unknown.error).toBe("CredentialsSignin");
  expect(wrong.error).toBe("CredentialsSignin");

  // The first few failures are free; the next attempt from this address has to wait.
  for (let i = 1; i < PAIR.free; i++) expect((await signIn(server.url, "sdk@example.com", `wrong ${i}`)).error).toBe("CredentialsSignin");
  const slowed = await signIn(server.url, "sdk@example.com", "correct horse battery");
  expect(slowed.cookie).toBe("");
  expect(slowed.error).toMatch(/too many failed sign-ins; try again in \d+ seconds?/);
  // Another account from the same address is not locked by it.
  await trpc(server.url, "account.setOpenSignUp", { open: true }, { cookie: adminCookie });
  const other = await trpc(server.url, "account.signUp", { name: "Bo", email: "bo@example.com", password: "bo-password-1" });
  expect(other.error).toBeUndefined();
  expect((await signIn(server.url, "bo@example.com", "bo-password-1")).cookie).not.toBe("");
}, 120_000);

