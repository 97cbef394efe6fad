import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureBuild } from "../scripts/start.mjs";
import { startServer, type ServerProcess } from "../test/helpers/server";
import { launchBrowser } from "./browser";
import { browserUrl, newPage, signInWithForm } from "./pages";

let server: ServerProcess;
let browser: Browser;
let base: string;

beforeAll(async () => {
  await ensureBuild({ log: () => {} });
  [server, browser] = await Promise.all([startServer({ web: true }), launchBrowser()]);
  base = browserUrl(server.url);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const admin = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };

// The tests below run in order on one server: set-up happens once per server.
let context: BrowserContext;
let page: Page;
let errors: string[];

test("a fresh server sends the first visitor to set-up, which asks for the printed token, creates the admin and lands signed in", async () => {
  context = await browser.newContext();
  ({ page, errors } = await newPage(context));
  await page.goto(`${base}/settings`);
  await page.waitForURL(`${base}/setup`);
  // The server printed the set-up link at start; its ?token= is what the form asks for.
  const printed = /open (\S+\/setup\?token=(\S+)) to create the first admin/.exec(server.output());
  expect(printed).not.toBeNull();
  await page.getByLabel("Set-up token").fill(decodeURIComponent(printed![2]));
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByLabel("Workspace name").fill("Vision Team");
  await page.getByRole("button", { name: "Create admin and workspace" }).click();
  await page.waitForURL(`${base}/`);

  // Signed in: the top bar shows who, and lists the new workspace.
  await page.locator("summary[aria-label=Account]").waitFor();
  await expect(page.locator("summary[aria-label=Account]").innerText()).resolves.toContain(admin.name);
  await page.locator("summary[aria-label='Switch workspace']").click();
  await page.getByRole("link", { name: /Vision Team/ }).click();
  await page.waitForURL(`${base}/vision-team`);
  await expect(page.getByRole("heading", { name: "Vision Team" }).count()).resolves.toBe(1);

  // Set-up happens once: afterwards /setup sends people to sign in.
  const again = await fetch(`${server.url}/setup`, { redirect: "manual" });
  expect(again.status).toBe(307);
  expect(again.headers.get("location")).toMatch(/\/signin$/);
  expect(errors).toEqual([]);
}, 90_000);

test("after signing out, a protected page sends the visitor to sign-in", async () => {
  await page.locator("summary[aria-label=Account]").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);
  expect(await page.locator("summary[aria-label=Account]").count()).toBe(0);

  await page.goto(`${base}/settings`);
  await page.waitForURL(`${base}/signin?callbackUrl=%2Fsettings`);
  await expect(page.getByRole("heading", { name: "Sign in to Cairn" }).count()).resolves.toBe(1);
  expect(errors).toEqual([]);
}, 60_000);

test("a wrong password says so, and the right one returns to the page asked for", async () => {
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("main").getByRole("alert").innerText()).resolves.toBe("wrong email or password");
  expect(page.url()).toContain("/signin");

  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${base}/settings`);
  await expect(page.getByRole("heading", { name: "Settings" }).count()).resolves.toBe(1);
  expect(errors).toEqual([]);
}, 60_000);

test("an unknown account gets the same message as a wrong password", async () => {
  const other = await browser.newContext();
  const { page: p } = await newPage(other);
  await p.goto(`${base}/signin`);
  await p.getByLabel("Email").fill("nobody@example.com");
  await p.getByLabel("Password").fill("whatever-password");
  await p.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(p.locator("main").getByRole("alert").innerText()).resolves.toBe("wrong email or password");
  // The form is the way in; a signed-in person skips it.
  await signInWithForm(p, base, admin.email, admin.password, new RegExp(`^${base}/$`));
  await p.goto(`${base}/signin`);
  await p.waitForURL(`${base}/`);
  await other.close();
}, 60_000);
