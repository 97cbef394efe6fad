import { beforeAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { adminSession, trpc } from "../test/helpers/sessions";
import { newPage } from "./pages";
import { useStage } from "./stage";

const stage = useStage();
let cookie: string;
beforeAll(async () => {
  cookie = await adminSession(stage.server.url);
});

type Run = { id: string; key: string };
type ChartState = { legend: string[]; series: { id: string; name: string; data: unknown[] }[] };

/** The echarts option of a chart element, as the page drew it. */
const chartState = (page: Page, title: string) => page.locator(`[data-chart="${title}"]`).evaluate((el) => {
  const option = (el as unknown as { cairnChart: { getOption(): { legend?: { data?: ({ name: string } | string)[] }[]; series: { id: string; name: string; data: unknown[] }[] } } }).cairnChart.getOption();
  return {
    legend: (option.legend?.[0]?.data ?? []).map((d) => (typeof d === "string" ? d : d.name)),
    series: option.series.map((s) => ({ id: String(s.id), name: String(s.name), data: s.data })),
  };
}) as Promise<ChartState>;

/** How many pixels of a chart's canvas are painted. */
const paintedPixels = (page: Page, title: string) => page.locator(`[data-chart="${title}"] canvas`).first().evaluate((canvas) => {
  const c = canvas as HTMLCanvasElement;
  const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
});

test("the compare page overlays runs' metrics live, marks differing params, draws parallel coordinates and a scatter", async () => {
  const runs: Run[] = [];
  const params = [{ lr: 0.1, opt: "adam" }, { lr: 0.01, opt: "adam" }, { lr: 0.001, opt: "sgd" }];
  for (const [i, p] of params.entries()) {
    const run = await stage.api("POST", "/api/v1/projects/acme/iris/runs", { name: `cmp-${i}`, fields: { "params/lr": p.lr, "params/opt": p.opt, "params/batch": 64 } });
    runs.push(run);
    await stage.api("POST", `/api/v1/runs/${run.id}/ops`, {
      batchId: "1", ops: [{ append: "train/loss", points: [1, 2, 3, 4, 5].map((s) => ({ step: s, value: (1 + i) / s })) }, { append: "val/acc", points: [{ step: 5, value: 0.5 + i / 10 }] }],
    });
  }
  await stage.api("POST", `/api/v1/runs/${runs[0].id}/finish`, { state: "succeeded" });

  const context = await stage.contextWithCookies(cookie);
  const { page, errors } = await newPage(context);
  await page.goto(`${stage.server.url}/acme/iris/compare?runs=${runs.map((r) => r.key).join(",")}`);
  await page.locator('.compare[data-live="live"]').waitFor();

  // One overlaid line per run, named (and in the legend) by run key.
  await expect.poll(async () => (await chartState(page, "train/loss")).series.filter((s) => runs.some((r) => r.id === s.id)).map((s) => [s.name, s.data.length]), { timeout: 15_000 })
    .toEqual(runs.map((r) => [r.key, 5]));
  expect((await chartState(page, "train/loss")).legend).toEqual(runs.map((r) => r.key));
  await page.locator('[data-chart="val/acc"]').waitFor();
  expect(await paintedPixels(page, "train/loss")).toBeGreaterThan(500);

  // Parameters: lr and opt differ between the runs, batch does not; "only differences" hides batch.
  const row = (path: string) => page.locator(`tr[data-path="${path}"]`);
  expect(await row("params/lr").getAttribute("data-differs")).toBe("true");
  expect(await row("params/opt").getAttribute("data-differs")).toBe("true");
  expect(await row("params/batch").getAttribute("data-differs")).toBe("false");
  expect(await row("params/lr").innerText()).toMatch(/0\.1\s+0\.01\s+0\.001/);
  await page.getByLabel("Only differences").check();
  await expect.poll(() => row("params/batch").count()).toBe(0);
  expect(await row("params/lr").count()).toBe(1);

  // Parallel coordinates over the differing params and last(train/loss); a scatter of lr against it.
  await expect.poll(async () => (await chartState(page, "Parallel coordinates")).series.map((s) => s.name)).toEqual(runs.map((r) => r.key));
  expect(await paintedPixels(page, "Parallel coordinates")).toBeGreaterThan(500);
  await page.getByLabel("Scatter x").selectOption("params/lr");
  await page.getByLabel("Scatter y").selectOption("last(train/loss)");
  await expect.poll(async () => (await chartState(page, "Scatter")).series.map((s) => [s.name, s.data])).toEqual(
    runs.map((r, i) => [r.key, [[params[i].lr, (1 + i) / 5]]]),
  );
  expect(await paintedPixels(page, "Scatter")).toBeGreaterThan(200);

  // A point logged by a running run appears on its line without reload.
  await stage.api("POST", `/api/v1/runs/${runs[2].id}/ops`, { batchId: "2", ops: [{ append: "train/loss", points: [{ step: 6, value: 0.25 }] }] });
  await expect.poll(async () => {
    const line = (await chartState(page, "train/loss")).series.find((s) => s.id === runs[2].id);
    return line?.data[line.data.length - 1];
  }, { timeout: 10_000 }).toEqual([6, 0.25]);

  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test("a dashboard with two widgets is created, saved, and shows the same widgets after a reload", async () => {
  const context = await stage.contextWithCookies(cookie);
  const { page, errors } = await newPage(context);
  await page.goto(`${stage.server.url}/acme/iris/dashboards`);
  await page.getByRole("textbox", { name: "New dashboard" }).fill("Training overview");
  await page.getByRole("button", { name: "Create" }).click();
  await page.waitForURL(/\/acme\/iris\/dashboards\/[0-9a-f-]{36}$/);
  const url = page.url();

  const addForm = page.getByRole("form", { name: "Add widget" });
  await page.getByRole("button", { name: "Add widget" }).click();
  await addForm.getByLabel("Metric (float series)").fill("train/loss");
  await addForm.getByLabel("Width").selectOption("4");
  await addForm.getByRole("button", { name: "Add widget" }).click();
  await page.getByRole("button", { name: "Add widget" }).click();
  await addForm.getByLabel("Kind").selectOption("scatter");
  await addForm.getByLabel("Title").fill("lr vs loss");
  await addForm.getByLabel("x field").fill("params/lr");
  await addForm.getByLabel("y field").fill("last(train/loss)");
  await addForm.getByRole("button", { name: "Add widget" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("button", { name: "Saved", exact: true }).waitFor();

  await page.reload();
  await page.locator("article[data-widget]").first().waitFor();
  expect(await page.locator("article[data-widget]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-widget"), e.getAttribute("aria-label")])))
    .toEqual([["metric", "train/loss"], ["scatter", "lr vs loss"]]);
  // Both widgets draw the project's runs (the three of the compare test, at least).
  await expect.poll(async () => (await chartState(page, "train/loss")).series.filter((s) => /^IRIS-/.test(s.name)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => (await chartState(page, "lr vs loss")).series.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  expect(await paintedPixels(page, "lr vs loss")).toBeGreaterThan(200);
  expect(page.url()).toBe(url);

  // Widgets follow the project live: a run logged now joins the metric widget without reload.
  const fresh = await stage.api("POST", "/api/v1/projects/acme/iris/runs", { name: "dash-live", fields: { "params/lr": 0.5 } });
  await stage.api("POST", `/api/v1/runs/${fresh.id}/ops`, { batchId: "1", ops: [{ append: "train/loss", points: [{ step: 1, value: 0.7 }] }] });
  await expect.poll(async () => (await chartState(page, "train/loss")).series.map((s) => s.name), { timeout: 15_000 }).toContain(fresh.key);

  // The dashboard is listed for the project.
  await page.goto(`${stage.server.url}/acme/iris/dashboards`);
  await page.getByRole("link", { name: "Training overview" }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

// A 2×2 PNG: enough for an <img> to load.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==", "base64");

test("a comparison share link opens the compare view read-only with only its runs, images side by side", async () => {
  const runs: Run[] = [];
  for (const name of ["shared-a", "shared-b", "not-shared"]) {
    const run = await stage.api("POST", "/api/v1/projects/acme/iris/runs", { name, fields: { "params/seed": runs.length } });
    runs.push(run);
    await stage.api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "1", ops: [{ append: "eval/score", points: [{ step: 0, value: runs.length }, { step: 1, value: runs.length + 1 }] }] });
    for (const step of [0, 1]) {
      const put = await fetch(`${stage.server.url}/api/v1/runs/${run.id}/files/samples?step=${step}`, {
        method: "PUT", headers: { authorization: `Bearer ${stage.server.apiKey}`, "content-type": "image/png" }, body: PNG,
      });
      expect(put.status).toBeLessThan(300);
    }
  }
  const project = await trpc<{ id: string }>(stage.server.url, "projects.settings", { workspace: "acme", project: "iris" }, { kind: "query", cookie });
  const link = await trpc<{ token: string }>(stage.server.url, "shareLinks.create", {
    projectId: project.data!.id, target: { kind: "compare", runIds: [runs[0].id, runs[1].id] },
  }, { cookie });
  const token = link.data!.token;

  const context = await stage.browser.newContext();
  const { page, errors } = await newPage(context);
  await page.goto(`${stage.server.url}/share/${token}`);
  await page.locator('.compare[data-live="live"]').waitFor();
  await expect.poll(async () => (await chartState(page, "eval/score")).legend, { timeout: 15_000 }).toEqual([runs[0].key, runs[1].key]);
  const text = await page.locator("main").innerText();
  expect(text).toContain("Shared read-only view");
  expect(text).not.toContain(runs[2].key);
  expect(await page.getByRole("button", { name: "Share" }).count()).toBe(0);
  expect(await page.getByLabel("Add runs by key").count()).toBe(0);
  expect(await page.locator('tr[data-path="params/seed"]').getAttribute("data-differs")).toBe("true");
  // The same image step of both runs, loaded through the link.
  const images = page.locator('.image-compare[data-path="samples"] img');
  await expect.poll(() => images.count(), { timeout: 15_000 }).toBe(2);
  await expect.poll(() => images.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth === 2))).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);
