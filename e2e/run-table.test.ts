import { beforeAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { init } from "../src/sdk";
import { adminSession } from "../test/helpers/sessions";
import { newPage } from "./pages";
import { useStage } from "./stage";

/*
 * The project run table in Chromium: live rows from a script using the TypeScript client,
 * filter (with completion and an error position), sort, column picker, group-by, and a saved
 * view that travels as a URL.
 */
const stage = useStage();
let cookie: string;
let base: string;
const OPTS = ["adam", "sgd", "adam", "rmsprop", "adam", "sgd"];

beforeAll(async () => {
  cookie = await adminSession(stage.server.url);
  base = `${stage.server.url}/acme/iris`;
  for (let i = 0; i < OPTS.length; i++) {
    const run = await stage.api("POST", "/api/v1/projects/acme/iris/runs", { name: `seed-${i}`, fields: { "params/lr": (i + 1) / 100, "params/opt": OPTS[i] } });
    await stage.api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "s", ops: [{ append: "train/loss", points: [{ value: 1 / (i + 1) }] }] });
  }
}, 120_000);

const rows = (page: Page) => page.locator("[role=row][data-run]");
const runNames = (page: Page) => rows(page).locator('[data-column="sys/name"]').allInnerTexts();
const cell = (page: Page, run: string, column: string) => page.locator(`[role=row][data-run="${run}"] [data-column="${column}"]`);
const headers = (page: Page) => page.locator("[role=columnheader]").evaluateAll((els) => els.map((e) => e.getAttribute("data-column")));

async function open(url: string) {
  const context = await stage.contextWithCookies(cookie);
  const { page, errors } = await newPage(context);
  await page.goto(url);
  await rows(page).first().waitFor();
  await page.locator('[aria-label="live: live"]').waitFor();
  return { context, page, errors };
}

test("a run logged by a script appears behind the new-runs control, and its cells update live", async () => {
  const { context, page, errors } = await open(`${base}?cols=params/lr,last(train/loss),sys/state`);
  expect(await rows(page).count()).toBe(6);

  const run = await init("acme/iris", { apiKey: stage.server.apiKey, url: stage.server.url, name: "from-script", fields: { "params/lr": 0.5 } });
  const control = page.getByRole("button", { name: /1 new run/ });
  await control.waitFor();
  // Rows do not jump: the new run is not inserted until asked for.
  expect(await rows(page).count()).toBe(6);
  await control.click();
  const row = page.locator(`[role=row][data-run="${run.key}"]`);
  await row.waitFor();
  expect(await row.getAttribute("class")).toContain("rt-row-new");
  expect((await runNames(page))[0]).toBe("from-script");
  expect(await control.count()).toBe(0);

  run.append("train/loss", 0.25);
  await run.flush();
  await expect.poll(() => cell(page, run.key, "last(train/loss)").innerText(), { timeout: 10_000 }).toBe("0.25");
  run.append("train/loss", 0.125);
  await run.finish("succeeded");
  await expect.poll(() => cell(page, run.key, "last(train/loss)").innerText(), { timeout: 10_000 }).toBe("0.125");
  await expect.poll(() => cell(page, run.key, "sys/state").innerText(), { timeout: 10_000 }).toBe("succeeded");
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test("filter with completion, an error pointing at its position, and sort by a header", async () => {
  const { context, page, errors } = await open(`${base}?cols=params/lr,params/opt`);
  const filter = page.getByLabel("Filter");
  await filter.click();
  await filter.pressSequentially("params/l");
  await page.getByRole("option", { name: /params\/lr/ }).first().waitFor();
  await filter.press("Tab");
  expect(await filter.inputValue()).toBe("params/lr ");
  // After an operand, operators are offered.
  await page.getByRole("option", { name: /^<=/ }).waitFor();
  await filter.pressSequentially("< 0.035");
  await filter.press("Enter");
  await expect.poll(() => runNames(page)).toEqual(["seed-2", "seed-1", "seed-0"]);
  expect(new URL(page.url()).searchParams.get("q")).toBe("params/lr < 0.035");

  await filter.fill('params/opt = "adam" and params/lr >> 1');
  await filter.press("Enter");
  const alert = page.locator(".rt-filter-error");
  await alert.waitFor();
  const position = Number(/at position (\d+)/.exec(await alert.innerText())![1]);
  // The second ">" is where a value was expected.
  expect(position).toBe(35);
  expect(await alert.locator("mark").innerText()).toBe(">");

  await filter.fill("");
  await filter.press("Enter");
  await expect.poll(async () => (await runNames(page)).length).toBe(7);
  const lrHeader = page.locator('[role=columnheader][data-column="params/lr"]');
  await lrHeader.getByRole("button").click();
  await expect.poll(() => lrHeader.getAttribute("aria-sort")).toBe("ascending");
  await expect.poll(async () => (await runNames(page))[0]).toBe("seed-0");
  await lrHeader.getByRole("button").click();
  await expect.poll(() => lrHeader.getAttribute("aria-sort")).toBe("descending");
  await expect.poll(async () => (await runNames(page))[0]).toBe("from-script");
  expect(new URL(page.url()).searchParams.get("sort")).toBe("params/lr:desc");
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test("column picker, reorder by drag, and group by an atom with aggregates", async () => {
  const { context, page, errors } = await open(`${base}?cols=params/lr`);
  await page.getByRole("button", { name: /^Columns/ }).click();
  await page.getByLabel("Search columns").fill("opt");
  await page.getByRole("dialog", { name: "Columns" }).getByLabel(/params\/opt/).check();
  await page.getByLabel("Search columns").fill("loss");
  await page.getByRole("dialog", { name: "Columns" }).getByLabel(/^max\(train\/loss\)/).check();
  await page.keyboard.press("Escape");
  await page.locator("h1").click();
  await expect.poll(() => headers(page)).toEqual(["select", "sys/key", "sys/name", "params/lr", "params/opt", "max(train/loss)"]);
  await expect.poll(() => cell(page, "IRIS-4", "params/opt").innerText()).toBe("rmsprop");

  await page.locator('[role=columnheader][data-column="max(train/loss)"]').dragTo(page.locator('[role=columnheader][data-column="params/lr"]'));
  await expect.poll(() => headers(page)).toEqual(["select", "sys/key", "sys/name", "max(train/loss)", "params/lr", "params/opt"]);
  expect(new URL(page.url()).searchParams.get("cols")).toBe("max(train/loss),params/lr,params/opt");

  // Resizing a column by its edge changes its width in the view (and the URL) when let go.
  const edge = await page.getByRole("separator", { name: "Resize params/lr" }).boundingBox();
  await page.mouse.move(edge!.x + 2, edge!.y + 10);
  await page.mouse.down();
  await page.mouse.move(edge!.x + 62, edge!.y + 10, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => new URL(page.url()).searchParams.get("w")).toMatch(/(^|,)params\/lr:21\d(,|$)/);
  expect(Math.round((await page.locator('[role=columnheader][data-column="params/lr"]').boundingBox())!.width)).toBeGreaterThan(200);

  await page.getByRole("button", { name: /^Group by/ }).click();
  await page.getByRole("dialog", { name: "Group by" }).getByLabel(/params\/opt/).click();
  await page.getByRole("button", { name: /^Aggregates/ }).click();
  await page.getByRole("dialog", { name: "Aggregates" }).getByLabel(/^params\/lr/).check();
  await page.locator("h1").click();
  const adam = page.locator('tr[data-group="adam"]');
  await adam.waitFor();
  // The groups without aggregates stay on screen until the new read arrives: wait for it.
  await expect.poll(async () => (await adam.locator("td").allInnerTexts()).slice(0, 5)).toEqual(["adam", "3", "0.01", "0.03", "0.05"]);
  expect(await page.locator('tr[data-group="sgd"] td').nth(1).innerText()).toBe("2");
  // The script's run has no params/opt.
  expect(await page.locator('tr[data-group=""] td').nth(1).innerText()).toBe("1");
  await adam.getByRole("button", { name: "Show runs" }).click();
  await expect.poll(async () => (await runNames(page)).sort()).toEqual(["seed-0", "seed-2", "seed-4"]);
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test("a saved view round-trips through its URL in a fresh browser", async () => {
  const { context, page, errors } = await open(`${base}?cols=params/opt,last(train/loss)&q=${encodeURIComponent('params/opt = "adam"')}&sort=${encodeURIComponent("last(train/loss):asc")}`);
  await expect.poll(() => runNames(page)).toEqual(["seed-4", "seed-2", "seed-0"]);
  await page.getByRole("button", { name: "Save as…" }).click();
  await page.getByLabel("View name").fill("adam by loss");
  await page.getByRole("button", { name: "Save view" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("view")).toMatch(/^[0-9a-f-]{36}$/);
  const viewId = new URL(page.url()).searchParams.get("view")!;
  await context.close();

  // Only the view's id: the saved state opens as saved.
  const fresh = await open(`${base}?view=${viewId}`);
  await expect.poll(() => runNames(fresh.page)).toEqual(["seed-4", "seed-2", "seed-0"]);
  expect(await headers(fresh.page)).toEqual(["select", "sys/key", "sys/name", "params/opt", "last(train/loss)"]);
  expect(await fresh.page.getByLabel("Filter").inputValue()).toBe('params/opt = "adam"');
  expect(await fresh.page.locator('[role=columnheader][data-column="last(train/loss)"]').getAttribute("aria-sort")).toBe("ascending");
  expect(await fresh.page.getByLabel("Saved view").locator("option:checked").innerText()).toBe("adam by loss");

  // Changing it and saving updates the view for everyone; deleting removes it.
  const filter = fresh.page.getByLabel("Filter");
  await filter.fill('params/opt = "sgd"');
  await filter.press("Enter");
  await expect.poll(() => runNames(fresh.page)).toEqual(["seed-5", "seed-1"]);
  await fresh.page.getByRole("button", { name: "Save", exact: true }).click();
  await expect.poll(() => fresh.page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
  const again = await open(`${base}?view=${viewId}`);
  await expect.poll(() => runNames(again.page)).toEqual(["seed-5", "seed-1"]);
  again.page.once("dialog", (d) => void d.accept());
  await again.page.getByRole("button", { name: "Delete view" }).click();
  await expect.poll(() => again.page.getByLabel("Saved view").locator("option").allInnerTexts()).toEqual(["Saved views…"]);
  expect([...errors, ...fresh.errors, ...again.errors]).toEqual([]);
  await fresh.context.close();
  await again.context.close();
}, 120_000);

test("a view shared by link opens read-only in a signed-out browser with the view's state", async () => {
  const { context, page, errors } = await open(`${base}?cols=params/opt,params/lr&q=${encodeURIComponent('params/opt = "sgd"')}&sort=${encodeURIComponent("params/lr:desc")}`);
  await expect.poll(() => runNames(page)).toEqual(["seed-5", "seed-1"]);
  await page.getByRole("button", { name: "Share" }).click();
  await page.getByLabel("Label").fill("sgd runs");
  await page.getByRole("button", { name: "Create link" }).click();
  const url = await page.getByLabel("Share link").inputValue();
  await context.close();

  const visitor = await stage.browser.newContext();
  const shared = await newPage(visitor);
  await shared.page.goto(url);
  await expect.poll(() => runNames(shared.page)).toEqual(["seed-5", "seed-1"]);
  expect(await headers(shared.page)).toEqual(["sys/key", "sys/name", "params/opt", "params/lr"]);
  expect(await shared.page.locator('[role=columnheader][data-column="params/lr"]').getAttribute("aria-sort")).toBe("descending");
  expect(await shared.page.getByRole("button", { name: "Save as…" }).count()).toBe(0);
  expect(await shared.page.getByRole("button", { name: /^Compare/ }).count()).toBe(0);
  const token = new URL(url).pathname.split("/")[2];
  expect(await rows(shared.page).first().getByRole("link").getAttribute("href")).toMatch(new RegExp(`^/share/${token}/runs/IRIS-\\d+$`));
  await shared.page.locator('[aria-label="live: live"]').waitFor();
  expect([...errors, ...shared.errors]).toEqual([]);
  await visitor.close();
}, 120_000);
