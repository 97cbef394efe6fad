import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { ensureBuild } from "../scripts/start.mjs";
import { startServer, type ServerProcess } from "../test/helpers/server";
import { launchBrowser } from "./browser";

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  await ensureBuild({ log: () => {} });
  [server, browser] = await Promise.all([startServer({ web: true }), launchBrowser()]);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const api = async (method: string, path: string, body: unknown) => {
  const res = await fetch(server.url + path, {
    method, headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body),
  });
  return res.json();
};

test("a person opens Cairn, sees the project's runs and follows one to its page", async () => {
  const run = await api("POST", "/api/v1/projects/acme/iris/runs", { name: "resnet-baseline", tags: ["baseline"], fields: { "params/lr": 0.003 } });
  await api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "1", ops: [{ append: "train/loss", points: [{ value: 0.9 }, { value: 0.4 }] }] });

  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url + "/");
  const row = page.getByRole("row", { name: /IRIS-1/ });
  await expect(row.textContent()).resolves.toContain("resnet-baseline");
  await row.getByRole("link", { name: "IRIS-1" }).click();
  await page.waitForURL(/\/acme\/iris\/runs\/IRIS-1$/);
  const text = await page.locator("main").innerText();
  expect(text).toContain("params/lr");
  expect(text).toContain("0.003");
  expect(text).toContain("train/loss");
  expect(text).toContain("baseline");
  expect(errors).toEqual([]);
}, 60_000);
