import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { ensureBuild } from "../scripts/start.mjs";
import { startServer, type ServerProcess } from "../test/helpers/server";
import { adminSession, signIn, trpc } from "../test/helpers/sessions";
import { launchBrowser } from "./browser";
import { browserUrl, mutateFromPage, newPage, signInWithForm } from "./pages";

let server: ServerProcess;
let browser: Browser;
let base: string;
let adminCookie: string;
const ADMIN = { email: "sdk@example.com", password: "correct horse battery" };

beforeAll(async () => {
  await ensureBuild({ log: () => {} });
  [server, browser] = await Promise.all([startServer({ web: true }), launchBrowser()]);
  base = browserUrl(server.url);
  // The seeded owner of workspace "acme" (project "iris") becomes the instance admin.
  adminCookie = await adminSession(server.url, ADMIN.password);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Workspace = { id: string; slug: string };
type Project = { id: string; permissions: string[] };

async function acme(): Promise<Workspace> {
  const r = await trpc<Workspace>(server.url, "workspaces.get", { slug: "acme" }, { kind: "query", cookie: adminCookie });
  return r.data!;
}

test("an admin creates an invite link; a new person opens it, creates an account and joins the workspace", async () => {
  const adminContext = await browser.newContext();
  const { page: adminPage, errors } = await newPage(adminContext);
  await signInWithForm(adminPage, base, ADMIN.email, ADMIN.password, new RegExp(`^${base}/$`));
  await adminPage.goto(`${base}/acme/settings`);
  const form = adminPage.getByRole("form", { name: "Create invite link" });
  await form.getByLabel("Role").selectOption("member");
  await form.getByRole("button", { name: "Create invite link" }).click();
  const url = await adminPage.getByRole("textbox", { name: "Invite link" }).inputValue();
  expect(url).toMatch(new RegExp(`^${base}/invite/`));
  // It is listed as pending.
  await adminPage.getByRole("table", { name: "Pending invites" }).waitFor();

  // A different browser profile: nobody is signed in there.
  const guest = await browser.newContext();
  const { page, errors: guestErrors } = await newPage(guest);
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Join acme" }).count()).resolves.toBe(1);
  await expect(page.getByTestId("invite-role").innerText()).resolves.toBe("member");
  await page.getByLabel("Your name").fill("Grace Guest");
  await page.getByLabel("Email").fill("grace@example.com");
  await page.getByLabel("Password").fill("grace's long password");
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.waitForURL(`${base}/acme`);
  await expect(page.locator("summary[aria-label=Account]").innerText()).resolves.toContain("Grace Guest");

  const members = await trpc<{ email: string; role: string }[]>(server.url, "workspaces.members", { workspaceId: (await acme()).id }, { kind: "query", cookie: adminCookie });
  expect(members.data).toContainEqual(expect.objectContaining({ email: "grace@example.com", role: "member" }));

  // The link worked once; opening it again says so.
  await page.goto(url);
  await expect(page.locator("main").getByRole("alert").innerText()).resolves.toContain("already been used");

  // Signed in, a second invite is accepted with one click.
  const home = await trpc<Workspace>(server.url, "workspaces.get", { slug: "home" }, { kind: "query", cookie: adminCookie });
  const second = await trpc<{ url: string }>(server.url, "invites.create", { workspaceId: home.data!.id, role: "admin" }, { cookie: adminCookie });
  await page.goto(browserUrl(second.data!.url));
  await expect(page.locator("main").innerText()).resolves.toContain("You are signed in as grace@example.com");
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await page.waitForURL(`${base}/home`);
  await expect(page.locator("main").innerText()).resolves.toContain("admin");
  expect([...errors, ...guestErrors]).toEqual([]);
  await adminContext.close();
  await guest.close();
}, 120_000);

test("a revoked invite link says it does not work", async () => {
  const workspace = await acme();
  const created = await trpc<{ id: string; url: string }>(server.url, "invites.create", { workspaceId: workspace.id, role: "member" }, { cookie: adminCookie });
  await trpc(server.url, "invites.revoke", { inviteId: created.data!.id }, { cookie: adminCookie });
  const context = await browser.newContext();
  const { page } = await newPage(context);
  await page.goto(browserUrl(created.data!.url));
  await expect(page.locator("main").getByRole("alert").innerText()).resolves.toContain("does not work");
  await context.close();
}, 60_000);

test("a viewer sees no edit controls on project settings, and a direct write is refused", async () => {
  // A person invited to the workspace and made a viewer of project iris.
  const workspace = await acme();
  const invite = await trpc<{ token: string }>(server.url, "invites.create", { workspaceId: workspace.id, role: "member" }, { cookie: adminCookie });
  const viewer = { name: "Vic Viewer", email: "vic@example.com", password: "vic's long password" };
  const accepted = await trpc<{ userId: string }>(server.url, "invites.accept", { token: invite.data!.token, account: viewer });
  expect(accepted.error).toBeUndefined();
  const iris = await trpc<Project>(server.url, "projects.settings", { workspace: "acme", project: "iris" }, { kind: "query", cookie: adminCookie });
  const projectId = iris.data!.id;
  const granted = await trpc(server.url, "projects.addMember", { projectId, userId: accepted.data!.userId, role: "viewer" }, { cookie: adminCookie });
  expect(granted.error).toBeUndefined();
  expect((await signIn(server.url, viewer.email, viewer.password)).cookie).not.toBe("");

  const context = await browser.newContext();
  const { page, errors } = await newPage(context);
  await signInWithForm(page, base, viewer.email, viewer.password, new RegExp(`^${base}/$`));
  await page.goto(`${base}/acme/iris/settings`);
  await expect(page.getByTestId("my-role").innerText()).resolves.toBe("you: viewer");
  await page.getByRole("table", { name: "Project members" }).waitFor();
  const main = page.locator("main");
  // Read-only: no buttons, no editable fields, no manager-only sections.
  expect(await main.getByRole("button").count()).toBe(0);
  expect(await main.locator("input, select, textarea").count()).toBe(0);
  for (const heading of ["Service accounts", "Share links", "Audit log"]) {
    expect(await main.getByRole("heading", { name: heading }).count()).toBe(0);
  }
  await expect(main.innerText()).resolves.toContain(ADMIN.email);

  // Writing anyway, from the page with the viewer's session: 403 where they can see, 404 where they cannot.
  const write = await mutateFromPage(page, "projects.setAccess", { projectId, visibility: "workspace" });
  expect(write).toEqual({ status: 403, code: "FORBIDDEN" });
  const grant = await mutateFromPage(page, "projects.addMember", { projectId, userId: accepted.data!.userId, role: "owner" });
  expect([403, 404]).toContain(grant.status);
  const robot = await mutateFromPage(page, "serviceAccounts.create", { projectId, name: "sneaky", role: "viewer" });
  expect(robot.status).toBe(403);
  const home = await trpc<Workspace>(server.url, "workspaces.get", { slug: "home" }, { kind: "query", cookie: adminCookie });
  const elsewhere = await mutateFromPage(page, "invites.create", { workspaceId: home.data!.id, role: "admin" });
  expect(elsewhere.status).toBe(404);

  // Nothing changed.
  const after = await trpc<{ visibility: string }>(server.url, "projects.settings", { projectId }, { kind: "query", cookie: adminCookie });
  expect(after.data!.visibility).toBe("private");
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);
