import { beforeAll, expect, test } from "vitest";
import type { ServerProcess } from "../test/helpers/server";
import { adminSession, trpc } from "../test/helpers/sessions";
import { useStage } from "./stage";

const stage = useStage();
const api = (method: string, path: string, body: unknown) => stage.api(method, path, body);
let server: ServerProcess;
let cookie: string;
beforeAll(async () => {
  server = stage.server;
  cookie = await adminSession(server.url);
});

test("a share link opens a run live in a signed-out browser, reveals nothing else, and stops working when revoked", async () => {
  const run = await api("POST", "/api/v1/projects/acme/iris/runs", { name: "shared-run", fields: { "params/lr": 0.01 } });
  const other = await api("POST", "/api/v1/projects/acme/iris/runs", { name: "private-run" });
  await api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "1", ops: [{ append: "train/loss", points: [{ value: 0.9 }] }] });
  const project = await trpc<{ id: string }>(server.url, "projects.settings", { workspace: "acme", project: "iris" }, { kind: "query", cookie });

  // A contributor or above shares the run from its page.
  const owner = await stage.contextWithCookies(cookie);
  const ownerPage = await owner.newPage();
  await ownerPage.goto(`${server.url}/acme/iris/runs/IRIS-1`);
  await ownerPage.getByRole("button", { name: "Share" }).click();
  await ownerPage.getByLabel("Label").fill("for the review");
  await ownerPage.getByRole("button", { name: "Create link" }).click();
  const url = await ownerPage.getByLabel("Share link").inputValue();
  expect(url).toMatch(/\/share\/cs_[\w-]+$/);
  await owner.close();
  const token = url.slice(url.lastIndexOf("/") + 1);
  const links = await trpc<{ id: string; label: string }[]>(server.url, "shareLinks.list", { projectId: project.data!.id }, { kind: "query", cookie });
  const link = links.data!.find((l) => l.label === "for the review")!;

  // A fresh context: no session cookie, only the link.
  const context = await stage.browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/share/${token}`);
  await page.locator('[data-live="live"]').first().waitFor({ timeout: 10_000 });
  const main = () => page.locator("main").innerText();
  expect(await main()).toContain("shared-run");
  expect(await main()).not.toContain("private-run");
  expect(await main()).toContain("Shared read-only view");

  // Points logged by the script show up without reload.
  await api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "2", ops: [{ append: "train/loss", points: [{ value: 0.3 }] }] });
  const lossRow = page.getByRole("row", { name: /train\/loss/ });
  await expect.poll(async () => (await lossRow.innerText()).split(/\s+/).slice(0, 4), { timeout: 10_000 }).toEqual(["train/loss", "2", "1", "0.3"]);

  // The link reaches its run and nothing else: not the other run, not the project's pages or settings.
  expect((await fetch(`${server.url}/api/v1/runs/${run.id}`, { headers: { "x-cairn-share": token } })).status).toBe(200);
  expect((await fetch(`${server.url}/api/v1/runs/${other.id}`, { headers: { "x-cairn-share": token } })).status).toBe(404);
  expect((await trpc(server.url, "projects.members", { projectId: project.data!.id }, { kind: "query", share: token })).error?.code).toBe("UNAUTHORIZED");
  expect((await page.request.get(`${server.url}/share/${token}/runs/IRIS-2`)).status()).toBe(404);
  expect((await page.request.get(`${server.url}/acme/iris/runs/IRIS-2`, { maxRedirects: 0 })).status()).toBe(307);

  // Revoking cuts off the open page (its socket is closed) and the link itself.
  const revoked = await trpc(server.url, "shareLinks.revoke", { linkId: link.id }, { cookie });
  expect(revoked.error).toBeUndefined();
  await page.locator('[data-live="denied"]').first().waitFor({ timeout: 10_000 });
  await api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "3", ops: [{ append: "train/loss", points: [{ value: 0.1 }] }] });
  await page.waitForTimeout(500);
  expect((await lossRow.innerText()).split(/\s+/)[1]).toBe("2");
  expect((await page.reload())?.status()).toBe(404);
  expect((await fetch(`${server.url}/api/v1/runs/${run.id}`, { headers: { "x-cairn-share": token } })).status).toBe(404);
  expect(errors).toEqual([]);
  await context.close();
}, 90_000);
