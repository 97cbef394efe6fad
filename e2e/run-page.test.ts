import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { init } from "../src/sdk/index";
import { adminSession, signIn, trpc } from "../test/helpers/sessions";
import { newPage } from "./pages";
import { useStage } from "./stage";

const stage = useStage();

const chart = (page: Page, path: string) => page.locator(`.metric-chart[data-chart="${path}"]`);
const pointsOf = (page: Page, path: string) => chart(page, path).getAttribute("data-points");
/** The echarts option the chart of `path` holds now (the chart element carries its instance). */
const optionOf = (page: Page, path: string) => chart(page, path).evaluate((el) => {
  const option = (el as unknown as { cairnChart: { getOption(): Record<string, { type?: string }[]> } }).cairnChart.getOption();
  return { xAxis: option.xAxis[0].type, yAxis: option.yAxis[0].type, series: option.series.length };
});

/** A member of acme who is a viewer of project iris, signed in. */
async function viewerCookie(url: string, ownerCookie: string): Promise<string> {
  const ws = await trpc<{ id: string }>(url, "workspaces.get", { slug: "acme" }, { kind: "query", cookie: ownerCookie });
  const invite = await trpc<{ token: string }>(url, "invites.create", { workspaceId: ws.data!.id, role: "member" }, { cookie: ownerCookie });
  const viewer = { name: "Vera Viewer", email: "vera@example.com", password: "vera's long password" };
  const accepted = await trpc<{ userId: string }>(url, "invites.accept", { token: invite.data!.token, account: viewer });
  const project = await trpc<{ id: string }>(url, "projects.settings", { workspace: "acme", project: "iris" }, { kind: "query", cookie: ownerCookie });
  const granted = await trpc(url, "projects.addMember", { projectId: project.data!.id, userId: accepted.data!.userId, role: "viewer" }, { cookie: ownerCookie });
  expect(granted.error).toBeUndefined();
  return (await signIn(url, viewer.email, viewer.password)).cookie;
}

test("charts of a run logged by a script grow live; zoom refetches at full resolution; log scale and x axis switch", async () => {
  const url = stage.server.url;
  const run = await init("acme/iris", { apiKey: stage.server.apiKey, url, name: "live-charts" });
  run.assign("params/lr", 0.01);
  for (let i = 0; i < 5; i++) run.append("train/loss", 1 / (i + 1));
  // A long series: the overview comes as buckets, a zoom reads raw points.
  for (let i = 0; i < 6000; i++) run.append("eval/score", Math.sin(i / 100) + 2);
  run.append("monitoring/cpu", 12.5);
  run.append("monitoring/memory", 2048);
  await run.flush();

  const ownerCookie = await adminSession(url);
  const context = await stage.contextWithCookies(ownerCookie);
  const { page, errors } = await newPage(context);
  await page.goto(`${url}/acme/iris/runs/${run.key}`);
  await page.locator('.run-page[data-live="live"]').waitFor({ timeout: 10_000 });
  await expect.poll(() => pointsOf(page, "train/loss"), { timeout: 10_000 }).toBe("5");
  await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });

  // Points appended by the script are drawn without a reload.
  for (let i = 5; i < 12; i++) run.append("train/loss", 1 / (i + 1));
  await run.flush();
  await expect.poll(() => pointsOf(page, "train/loss"), { timeout: 10_000 }).toBe("12");
  run.append("train/loss", 0.01);
  await run.flush();
  await expect.poll(() => pointsOf(page, "train/loss"), { timeout: 10_000 }).toBe("13");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  // Monitoring series have their own section.
  const monitoring = page.getByRole("region", { name: "Monitoring" });
  await monitoring.scrollIntoViewIfNeeded(); // charts are created once scrolled near
  await expect.poll(() => monitoring.locator(".metric-chart").count()).toBe(2);
  expect(await page.getByRole("region", { name: "Charts" }).locator('[data-series^="monitoring/"]').count()).toBe(0);

  // The long series: buckets first; a zoom to steps 1000..1100 reads those 101 points raw.
  const score = page.locator('figure[data-series="eval/score"]');
  await expect.poll(() => score.getAttribute("data-bucketed"), { timeout: 10_000 }).toBe("true");
  const overviewPoints = Number(await pointsOf(page, "eval/score"));
  expect(overviewPoints).toBeLessThan(6000);
  expect(overviewPoints).toBeGreaterThan(300);
  await chart(page, "eval/score").evaluate((el) => {
    (el as unknown as { cairnChart: { dispatchAction(a: unknown): void } }).cairnChart.dispatchAction({ type: "dataZoom", dataZoomIndex: 0, startValue: 1000, endValue: 1100 });
  });
  await expect.poll(() => score.getAttribute("data-zoom"), { timeout: 10_000 }).toBe("1000:1100");
  await expect.poll(() => score.getAttribute("data-detail-points"), { timeout: 10_000 }).toBe("101");
  // Outside the window the overview stays; inside, every point is drawn.
  await expect.poll(async () => Number(await pointsOf(page, "eval/score"))).toBeGreaterThan(overviewPoints - 10);
  // The window holds while live points extend the series.
  const windowOf = () => chart(page, "eval/score").evaluate((el) => {
    const dz = (el as unknown as { cairnChart: { getOption(): { dataZoom: { startValue?: number; endValue?: number }[] } } }).cairnChart.getOption().dataZoom[0];
    return [Math.round(dz.startValue ?? NaN), Math.round(dz.endValue ?? NaN)];
  });
  expect(await windowOf()).toEqual([1000, 1100]);
  const zoomedPoints = Number(await pointsOf(page, "eval/score"));
  for (let i = 6000; i < 9000; i++) run.append("eval/score", 5);
  await run.flush();
  await expect.poll(async () => Number(await pointsOf(page, "eval/score")), { timeout: 10_000 }).toBeGreaterThan(zoomedPoints);
  expect(await windowOf()).toEqual([1000, 1100]);
  expect(await score.getAttribute("data-detail-points")).toBe("101");
  await score.getByRole("button", { name: "reset zoom" }).click();
  await expect.poll(() => score.getAttribute("data-zoom")).toBe(null);

  // Log scale and the x axis change the charts' axes.
  expect(await optionOf(page, "train/loss")).toMatchObject({ xAxis: "value", yAxis: "value" });
  await page.getByLabel("Log scale").check();
  await expect.poll(() => optionOf(page, "train/loss")).toMatchObject({ yAxis: "log" });
  await page.getByLabel("X axis").selectOption("wall");
  await expect.poll(() => optionOf(page, "train/loss")).toMatchObject({ xAxis: "time", yAxis: "log" });
  expect(await chart(page, "train/loss").getAttribute("data-x-axis")).toBe("wall");
  await page.getByLabel("X axis").selectOption("relative");
  await expect.poll(() => chart(page, "train/loss").getAttribute("data-x-axis")).toBe("relative");
  // Smoothing adds a faint raw line under the smoothed one.
  const before = (await optionOf(page, "train/loss")).series;
  await page.getByLabel("Smoothing").fill("0.6");
  await expect.poll(async () => (await optionOf(page, "train/loss")).series).toBe(before + 1);
  // Settings stay for the next page, and live points still arrive after all the switching.
  run.append("train/loss", 0.005);
  await run.flush();
  await expect.poll(() => pointsOf(page, "train/loss"), { timeout: 10_000 }).toBe("14");
  await page.getByLabel("X axis").selectOption("step");
  await page.getByLabel("Log scale").uncheck();
  await page.getByLabel("Smoothing").fill("0");

  // The field tree: filter by path or value; namespaces fold.
  const filter = page.getByLabel("Filter fields");
  await filter.fill("params/");
  const tree = page.getByRole("tree", { name: "Fields" });
  await expect.poll(() => tree.locator("li.tree-leaf").count()).toBe(1);
  expect(await tree.innerText()).toContain("params/lr");
  await filter.fill("live-charts"); // a value: sys/name
  await expect.poll(() => tree.locator('li.tree-leaf[data-path="sys/name"]').count()).toBe(1);
  await filter.fill("");
  await tree.getByRole("button", { name: "Fold params" }).click();
  await expect.poll(() => tree.locator('li.tree-leaf[data-path="params/lr"]').count()).toBe(0);
  await tree.getByRole("button", { name: "Unfold params" }).click();
  await expect.poll(() => tree.locator('li.tree-leaf[data-path="params/lr"]').count()).toBe(1);

  // A share link to the run shows the same charts, read-only, through the link's token.
  const project = await trpc<{ id: string }>(url, "projects.settings", { workspace: "acme", project: "iris" }, { kind: "query", cookie: ownerCookie });
  const link = await trpc<{ token: string }>(url, "shareLinks.create", { projectId: project.data!.id, target: { kind: "run", runId: run.id }, label: "charts" }, { cookie: ownerCookie });
  const stranger = await stage.browser.newContext();
  const { page: shared, errors: sharedErrors } = await newPage(stranger);
  await shared.goto(`${url}/share/${link.data!.token}`);
  await shared.locator('.run-page[data-live="live"]').waitFor({ timeout: 10_000 });
  await expect.poll(() => pointsOf(shared, "train/loss"), { timeout: 10_000 }).toBe("14");
  expect(await shared.getByLabel("Add tag").count()).toBe(0);
  run.append("train/loss", 0.004);
  await run.flush();
  await expect.poll(() => pointsOf(shared, "train/loss"), { timeout: 10_000 }).toBe("15");
  expect(sharedErrors).toEqual([]);
  await stranger.close();

  await run.finish("succeeded");
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);

test("the owner edits tags and notes; they persist and appear live for a viewer, who gets no edit controls", async () => {
  const url = stage.server.url;
  const ownerCookie = await adminSession(url);
  const run = await init("acme/iris", { apiKey: stage.server.apiKey, url, name: "notes-run" });
  run.addTags("baseline");
  run.append("train/loss", 1);
  await run.flush();

  const owner = await stage.contextWithCookies(ownerCookie);
  const { page, errors } = await newPage(owner);
  const viewer = await stage.contextWithCookies(await viewerCookie(url, ownerCookie));
  const { page: watcher, errors: watcherErrors } = await newPage(viewer);
  await Promise.all([page.goto(`${url}/acme/iris/runs/${run.key}`), watcher.goto(`${url}/acme/iris/runs/${run.key}`)]);
  await Promise.all([page.locator('.run-page[data-live="live"]').waitFor(), watcher.locator('.run-page[data-live="live"]').waitFor()]);

  // The viewer reads, and has nothing to edit with.
  expect(await watcher.getByLabel("Add tag").count()).toBe(0);
  expect(await watcher.getByRole("button", { name: /Edit notes|Add notes|Rename|Add a name|Remove tag/ }).count()).toBe(0);
  expect(await watcher.getByRole("button", { name: "Share" }).count()).toBe(0);

  // Tags: add two, remove one.
  const tags = (p: Page) => p.locator("[data-tags]").getAttribute("data-tags");
  await page.getByLabel("Add tag").fill("promising, lr-sweep");
  await page.getByLabel("Add tag").press("Enter");
  await expect.poll(() => tags(page)).toBe("baseline,lr-sweep,promising");
  await expect.poll(() => tags(watcher), { timeout: 10_000 }).toBe("baseline,lr-sweep,promising");
  await page.getByRole("button", { name: "Remove tag baseline" }).click();
  await expect.poll(() => tags(page)).toBe("lr-sweep,promising");
  await expect.poll(() => tags(watcher), { timeout: 10_000 }).toBe("lr-sweep,promising");

  // Notes in Markdown, previewed, saved; markup in them stays text.
  await page.getByRole("button", { name: "Add notes" }).click();
  const notes = "## Outcome\n\nLoss **fell** to `0.1`; see [the report](https://example.com/r).\n\n- one\n- two\n\n<img src=x onerror=\"window.xss=1\">";
  await page.getByLabel("Description").fill(notes);
  await page.getByRole("tab", { name: "Preview" }).click();
  await page.locator(".notes-preview strong", { hasText: "fell" }).waitFor();
  await page.getByRole("button", { name: "Save notes" }).click();
  const section = (p: Page) => p.getByRole("region", { name: "Notes" });
  await section(page).getByRole("heading", { name: "Outcome" }).waitFor();
  for (const p of [page, watcher]) {
    await section(p).getByRole("heading", { name: "Outcome" }).waitFor({ timeout: 10_000 });
    expect(await section(p).locator("strong").innerText()).toBe("fell");
    expect(await section(p).locator("code").innerText()).toBe("0.1");
    expect(await section(p).getByRole("link", { name: "the report" }).getAttribute("href")).toBe("https://example.com/r");
    expect(await section(p).locator("li").count()).toBe(2);
    expect(await section(p).locator("img").count()).toBe(0);
    expect(await section(p).innerText()).toContain("<img src=x");
    expect(await p.evaluate(() => (window as unknown as { xss?: number }).xss)).toBeUndefined();
  }

  // Rename; everything persists across a reload.
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("Run name").fill("notes-run-2");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect.poll(() => watcher.locator(".run-name").innerText(), { timeout: 10_000 }).toBe("notes-run-2");
  await page.reload();
  await section(page).getByRole("heading", { name: "Outcome" }).waitFor();
  expect(await tags(page)).toBe("lr-sweep,promising");
  expect(await page.locator(".run-name").innerText()).toBe("notes-run-2");

  // A viewer writing anyway, from the page with their session, is refused.
  const status = await watcher.evaluate(async (runId) => {
    const res = await fetch("/api/trpc/runData.updateRun", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { runId, addTags: ["x"] } }) });
    return res.status;
  }, run.id);
  expect(status).toBe(403);

  await run.finish("succeeded");
  expect(errors).toEqual([]);
  expect(watcherErrors).toEqual([]);
  await owner.close();
  await viewer.close();
}, 120_000);
