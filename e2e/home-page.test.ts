import { expect, test } from "vitest";
import { adminSession } from "../test/helpers/sessions";
import { useStage } from "./stage";

const stage = useStage();
const api = (method: string, path: string, body: unknown) => stage.api(method, path, body);

test("a signed-in person sees the project's runs, follows one to its page and watches it update live", async () => {
  const run = await api("POST", "/api/v1/projects/acme/iris/runs", { name: "resnet-baseline", tags: ["baseline"], fields: { "params/lr": 0.003 } });
  await api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "1", ops: [{ append: "train/loss", points: [{ value: 0.9 }, { value: 0.4 }] }] });

  const context = await stage.contextWithCookies(await adminSession(stage.server.url));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(stage.server.url + "/");
  const row = page.getByRole("row", { name: /IRIS-1/ });
  await expect(row.textContent()).resolves.toContain("resnet-baseline");
  await row.getByRole("link", { name: "IRIS-1" }).click();
  await page.waitForURL(/\/acme\/iris\/runs\/IRIS-1$/);
  const text = await page.locator("main").innerText();
  expect(text).toContain("params/lr");
  expect(text).toContain("0.003");
  expect(text).toContain("train/loss");
  expect(text).toContain("baseline");

  // The page joined the run's room with the session cookie: new points and fields arrive without reload.
  await page.locator('[data-live="live"]').first().waitFor({ timeout: 10_000 });
  await api("POST", `/api/v1/runs/${run.id}/ops`, {
    batchId: "2", ops: [{ append: "train/loss", points: [{ value: 0.2 }] }, { assign: "params/momentum", value: 0.9 }],
  });
  const lossRow = page.getByRole("row", { name: /train\/loss/ });
  await expect.poll(async () => (await lossRow.innerText()).split(/\s+/), { timeout: 10_000 }).toEqual(["train/loss", "3", "2", "0.2", "0.2", "0.9"]);
  await expect.poll(async () => page.locator("main").innerText(), { timeout: 10_000 }).toContain("params/momentum");
  expect(errors).toEqual([]);
}, 60_000);
