import http from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import Provider from "oidc-provider";
import { ensureBuild } from "../scripts/start.mjs";
import { freePort } from "../test/helpers/free-port";
import { startServer, type ServerProcess } from "../test/helpers/server";
import { adminSession, trpc } from "../test/helpers/sessions";
import { launchBrowser } from "./browser";

// A real OpenID Connect provider on loopback (node-oidc-provider with its development login
// and consent screens), and a Cairn process configured to use it for single sign-on.
let issuer: http.Server;
let server: ServerProcess;
let browser: Browser;
let cairnUrl: string;
let adminCookie: string;

const people: Record<string, { email: string; name: string }> = {
  ada: { email: "sdk@example.com", name: "Ada Admin" },
  grace: { email: "grace@example.com", name: "Grace Hopper" },
};

beforeAll(async () => {
  const [issuerPort, cairnPort] = await Promise.all([freePort(), freePort()]);
  cairnUrl = `http://localhost:${cairnPort}`;
  const provider = new Provider(`http://127.0.0.1:${issuerPort}`, {
    clients: [{
      client_id: "cairn", client_secret: "cairn-test-secret",
      redirect_uris: [`${cairnUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"], response_types: ["code"],
    }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: people[sub]?.email ?? `${sub}@example.com`, email_verified: true, name: people[sub]?.name ?? sub }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["test-cookie-key"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  issuer = provider.listen(issuerPort);
  await ensureBuild({ log: () => {} });
  [server, browser] = await Promise.all([
    startServer({
      web: true, port: cairnPort,
      env: {
        CAIRN_OIDC_ISSUER: `http://127.0.0.1:${issuerPort}`, CAIRN_OIDC_CLIENT_ID: "cairn",
        CAIRN_OIDC_CLIENT_SECRET: "cairn-test-secret", CAIRN_OIDC_NAME: "Acme SSO", CAIRN_PUBLIC_URL: cairnUrl,
      },
    }),
    launchBrowser(),
  ]);
  // The instance admin exists with the e-mail ada's identity carries; grace has no account.
  adminCookie = await adminSession(server.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => issuer?.close(r));
});

async function signInWithSso(login: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${cairnUrl}/signin`);
  await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
  // The provider's development login and consent screens.
  await page.waitForURL(/127\.0\.0\.1/);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any");
  await page.locator('button[type="submit"]').click();
  const consent = page.locator('button[type="submit"]');
  if (await consent.isVisible({ timeout: 3_000 }).catch(() => false) && page.url().includes("127.0.0.1")) await consent.click();
  await page.waitForURL((url) => url.host === new URL(cairnUrl).host, { timeout: 20_000 });
  await page.waitForLoadState("networkidle");
  return { context, page };
}

test("single sign-on links a verified e-mail to its account and signs in; a stranger without an invite is turned away", async () => {
  const ada = await signInWithSso("ada");
  expect(new URL(ada.page.url()).pathname).not.toMatch(/^\/signin/);
  const cookie = (await ada.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const me = await trpc<{ email: string; sso: boolean; isInstanceAdmin: boolean }>(server.url, "account.me", undefined, { kind: "query", cookie });
  expect(me.data).toMatchObject({ email: "sdk@example.com", sso: true, isInstanceAdmin: true });
  await ada.context.close();

  const grace = await signInWithSso("grace");
  expect(grace.page.url()).toContain("/signin");
  expect(grace.page.url()).toContain("error=NoAccount");
  expect(await grace.page.locator("main").innerText()).toMatch(/no account|invit/i);
  await grace.context.close();

  // With open sign-up, the same identity gets a new account on its first sign-in.
  expect((await trpc(server.url, "account.setOpenSignUp", { open: true }, { cookie: adminCookie })).error).toBeUndefined();
  const again = await signInWithSso("grace");
  expect(new URL(again.page.url()).pathname).not.toMatch(/^\/signin/);
  const graceCookie = (await again.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const graceMe = await trpc<{ email: string; isInstanceAdmin: boolean }>(server.url, "account.me", undefined, { kind: "query", cookie: graceCookie });
  expect(graceMe.data).toMatchObject({ email: "grace@example.com", isInstanceAdmin: false });
  await again.context.close();
}, 120_000);
