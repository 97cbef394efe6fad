import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuild } from "../scripts/start.mjs";
import { startServer, type ServerProcess } from "./helpers/server";
import { signIn, TEST_SETUP_TOKEN, trpc } from "./helpers/sessions";

/*
 * Against a real server with pages: no redirect that sign-in, sign-out or the sign-in page
 * makes ever leaves the site, whatever callbackUrl says; set-up needs the printed token.
 */

const password = "correct horse battery";
let server: ServerProcess;
let origins: Set<string>;

beforeAll(async () => {
  await ensureBuild({ log: () => {} });
  server = await startServer({ web: true });
  origins = new Set([new URL(server.url).origin, new URL(server.url.replace("127.0.0.1", "localhost")).origin]);
}, 300_000);
afterAll(async () => {
  await server?.stop();
});

const hostile = [
  "https://x//evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "/%09/evil.example", "/\t/evil.example",
  "/%2F/evil.example", "/%5Cevil.example", "/..//evil.example", "https://evil.example/", "javascript:alert(1)",
  "http://localhost:1/ok", "/ok\r\nLocation: //evil.example",
];

/** Fails unless the response's Location, if any, resolves (as a browser would) to this site. */
function expectStaysOnSite(res: Response, what: string): void {
  const location = res.headers.get("location");
  if (location === null) return;
  const target = new URL(location, server.url);
  expect(origins.has(target.origin), `${what}: Location ${JSON.stringify(location)} leaves the site`).toBe(true);
}

type Jar = Map<string, string>;
const cookieOf = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
function absorb(jar: Jar, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
async function csrf(jar: Jar): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: cookieOf(jar) } });
  absorb(jar, res);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

describe("first-admin set-up over HTTP", () => {
  test("while set-up is pending the server prints the set-up link with its token", () => {
    expect(server.output()).toContain(`/setup?token=${TEST_SETUP_TOKEN} to create the first admin`);
  });

  test("set-up without the token is 401, with a wrong one 403; the printed link's token works", async () => {
    const admin = { name: "Ada", email: "sdk@example.com", password, workspaceName: "Home" };
    expect((await trpc(server.url, "account.setup", admin)).status).toBe(401);
    expect((await trpc(server.url, "account.setup", { ...admin, setupToken: "this-is-not-the-token" })).status).toBe(403);
    expect((await trpc(server.url, "account.status", undefined, { kind: "query" })).data).toMatchObject({ needsSetup: true });
    const page = await fetch(`${server.url}/setup?token=${TEST_SETUP_TOKEN}`);
    expect(page.status).toBe(200);
    expect((await trpc(server.url, "account.setup", { ...admin, setupToken: TEST_SETUP_TOKEN })).error).toBeUndefined();
  }, 60_000);

  test("a flood of set-up calls after set-up is refused (409, then 429 per address) and the server keeps serving", async () => {
    const statuses = await Promise.all(Array.from({ length: 40 }, () =>
      trpc(server.url, "account.setup", { name: "X", email: "x@example.com", password, workspaceName: "X", setupToken: TEST_SETUP_TOKEN }).then((r) => r.status)));
    expect(statuses.every((s) => s === 409 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  }, 60_000);
});

describe("redirects after sign-in stay on this site", () => {
  let session = "";
  beforeAll(async () => {
    session = (await signIn(server.url, "sdk@example.com", password)).cookie;
    expect(session).not.toBe("");
  }, 60_000);

  test.each(hostile)("the sign-in page, signed out and signed in, with callbackUrl=%j", async (callbackUrl) => {
    const url = `${server.url}/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    const out = await fetch(url, { redirect: "manual" });
    expect(out.status).toBe(200);
    const signedIn = await fetch(url, { redirect: "manual", headers: { cookie: session } });
    expect(signedIn.status).toBe(307);
    expectStaysOnSite(signedIn, "signed-in /signin");
    expect(new URL(signedIn.headers.get("location")!, server.url).pathname).toBe("/");
  }, 60_000);

  test.each(hostile)("next-auth's sign-in, sign-out and redirect endpoints with callbackUrl=%j", async (callbackUrl) => {
    // Right after sign-in: the credentials callback's redirect, as a Location and as JSON.
    const jar: Jar = new Map();
    const token = await csrf(jar);
    const form = { csrfToken: token, email: "sdk@example.com", password, callbackUrl };
    const viaLocation = await fetch(`${server.url}/api/auth/callback/password`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(jar) },
      body: new URLSearchParams(form),
    });
    expectStaysOnSite(viaLocation, "credentials callback");
    absorb(jar, viaLocation);
    const viaJson = await fetch(`${server.url}/api/auth/callback/password`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(jar) },
      body: new URLSearchParams({ ...form, json: "true" }),
    });
    const { url } = (await viaJson.json().catch(() => ({}))) as { url?: string };
    if (url) expect(origins.has(new URL(url, server.url).origin), `credentials JSON url ${url}`).toBe(true);

    // The sign-in entry point, signed in and out, and a hostile callback-url cookie.
    for (const cookie of [session, "", `next-auth.callback-url=${encodeURIComponent(callbackUrl)}`]) {
      const res = await fetch(`${server.url}/api/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`, { redirect: "manual", headers: { cookie } });
      expectStaysOnSite(res, "GET /api/auth/signin");
    }
    // Signing out, with the session.
    const outJar: Jar = new Map(session.split("; ").map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)]));
    const outToken = await csrf(outJar);
    const signOut = await fetch(`${server.url}/api/auth/signout`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(outJar) },
      body: new URLSearchParams({ csrfToken: outToken, callbackUrl }),
    });
    expectStaysOnSite(signOut, "sign-out");
  }, 60_000);

  test("a same-site callbackUrl, absolute or a path, still brings the person back", async () => {
    for (const callbackUrl of ["/settings", `${server.url.replace("127.0.0.1", "localhost")}/settings`]) {
      const res = await fetch(`${server.url}/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`, { redirect: "manual", headers: { cookie: session } });
      expect(res.status).toBe(307);
      expect(new URL(res.headers.get("location")!, server.url).pathname).toBe("/settings");
    }
  }, 60_000);
});
