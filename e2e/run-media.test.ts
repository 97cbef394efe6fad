import { deflateSync } from "node:zlib";
import { beforeAll, expect, test } from "vitest";
import { init } from "@/sdk";
import { adminSession, trpc } from "../test/helpers/sessions";
import { newPage } from "./pages";
import { useStage } from "./stage";

const stage = useStage();
let cookie: string;
beforeAll(async () => {
  cookie = await adminSession(stage.server.url);
});

/** A minimal RGB PNG of one colour: signature, IHDR, one zlib IDAT, IEND. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr), chunk("IDAT", deflateSync(pixels)), chunk("IEND", Buffer.alloc(0)),
  ]);
}

const echartsOption = {
  title: { text: "accuracy by class" },
  xAxis: { type: "category", data: ["cat", "dog", "bird"] },
  yAxis: { type: "value" },
  series: [{ type: "bar", data: [0.91, 0.87, 0.78] }],
};
const plotlyFigure = {
  data: [{ type: "scatter", mode: "lines+markers", x: [0, 0.1, 0.4, 1], y: [0, 0.6, 0.9, 1], name: "ROC" }],
  layout: { title: { text: "ROC" }, width: 500, height: 320 },
};
const html = `<!doctype html><html><body><h1>Report</h1><p id="out">waiting</p>
<script>document.getElementById("out").textContent = "script ran; cookie access: " + (function () { try { return String(document.cookie.length); } catch (e) { return "blocked"; } })();</script></body></html>`;

test("console, gallery, charts, HTML, CSV and source code of a run logged with the TypeScript client", async () => {
  const server = stage.server;
  const run = await init(`${server.workspace}/${server.project}`, { url: server.url, apiKey: server.apiKey, name: "media run", flushIntervalMs: 50 });
  for (let i = 0; i < 30; i++) run.append("stdout", `epoch ${i} loss ok`);
  run.append("stderr", "warning: something");
  run.assign("source_code/git/commit", "3f2a9c1d5e6b7a8c9d0e1f2a3b4c5d6e7f8a9b0c");
  run.assign("source_code/git/branch", "main");
  run.assign("source_code/git/dirty", true);
  run.upload("source_code/diff", Buffer.from("diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n-lr = 0.1\n+lr = 0.01\n print(lr)\n"), { contentType: "text/x-diff" });
  const colours: [number, number, number][] = [[220, 30, 30], [30, 200, 30], [30, 30, 220]];
  colours.forEach((c, step) => run.upload("images/samples", png(16, 12, c), { step, name: `epoch${step}`, description: `validation batch ${step}`, contentType: "image/png" }));
  run.upload("charts/per-class.echarts.json", Buffer.from(JSON.stringify(echartsOption)), { contentType: "application/json" });
  run.upload("charts/roc.plotly.json", Buffer.from(JSON.stringify(plotlyFigure)), { contentType: "application/json" });
  run.upload("report.html", Buffer.from(html), { contentType: "text/html" });
  for (const step of [1, 2]) {
    const option = { xAxis: { type: "category", data: ["a", "b"] }, yAxis: {}, series: [{ type: "line", name: `epoch ${step}`, data: [step, step * 2] }] };
    run.upload("charts/epoch.echarts.json", Buffer.from(JSON.stringify(option)), { step, name: `epoch ${step}`, contentType: "application/json" });
  }
  run.upload("logs/long.txt", Buffer.from("a".repeat(70 * 1024) + "THE END"), { contentType: "text/plain" });
  run.upload("data/metrics.csv", Buffer.from('name,note,value\n"a, b","say ""hi""",1\nplain,x,2\n'), { contentType: "text/csv" });
  await run.flush();

  const context = await stage.contextWithCookies(cookie);
  const { page, errors } = await newPage(context);
  await page.goto(`${server.url}/${server.workspace}/${server.project}/runs/${run.key}`);
  await page.locator('.run-media[data-live="live"]').waitFor();

  // Console: the tail, then lines logged while the page is open, then a server-side search.
  const log = page.getByRole("log", { name: "stdout output" });
  await expect.poll(() => log.innerText()).toContain("epoch 29 loss ok");
  for (let i = 0; i < 5; i++) run.append("stdout", `live line ${i} needle-${i * 7}`);
  await run.flush();
  await expect.poll(() => log.innerText(), { timeout: 10_000 }).toContain("live line 4 needle-28");
  await page.getByLabel("Search stdout").fill("needle-21");
  await page.getByLabel("Search stdout").press("Enter");
  const results = page.getByLabel("Search results");
  await expect.poll(() => results.innerText()).toContain("live line 3 needle-21");
  expect(await results.locator("mark").first().innerText()).toBe("needle-21");
  await expect.poll(() => results.innerText()).toContain("1 matching line");
  expect(await page.getByRole("tab", { name: "stderr" }).count()).toBe(1);
  await page.locator(".console-bar").getByLabel("Times").check();
  await expect.poll(() => log.locator(".console-line .time").first().innerText()).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);

  // Images: the latest step first, the slider goes back, the image enlarges with next/prev.
  const gallery = page.locator('.gallery[data-path="images/samples"]');
  const main = gallery.locator(".gallery-main img");
  await expect.poll(() => main.getAttribute("data-step")).toBe("2");
  expect(await gallery.locator("figcaption").innerText()).toContain("validation batch 2");
  await gallery.getByLabel("Step of images/samples").fill("0");
  await expect.poll(() => main.getAttribute("data-step")).toBe("0");
  expect(await gallery.locator("figcaption").innerText()).toContain("epoch0");
  await expect.poll(() => main.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(16);
  await main.click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  expect(await dialog.innerText()).toContain("validation batch 0");
  expect(await dialog.locator("img").evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width)).toBeGreaterThan(200);
  await dialog.getByRole("button", { name: "Next image" }).click();
  await expect.poll(() => dialog.innerText()).toContain("validation batch 1");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await expect.poll(() => main.getAttribute("data-step")).toBe("1");

  // Interactive charts, each in its sandbox frame: ECharts draws on a canvas, Plotly into SVG.
  const echartsCanvas = page.frameLocator('.media-block[data-path="charts/per-class.echarts.json"] iframe[data-chart="echarts"]').locator("canvas");
  await echartsCanvas.first().waitFor({ timeout: 20_000 });
  await expect.poll(() => echartsCanvas.first().evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  }), { timeout: 10_000 }).toBeGreaterThan(500);
  const plotly = page.frameLocator('.media-block[data-path="charts/roc.plotly.json"] iframe[data-chart="plotly"]').locator("#chart");
  await plotly.locator("svg.main-svg").first().waitFor({ timeout: 30_000 });
  await expect.poll(() => plotly.locator(".scatterlayer .trace path").count(), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(await plotly.innerText()).toContain("ROC");

  // A chart logged per epoch: the latest first, any step on request.
  const epochChart = page.locator('.media-block[data-path="charts/epoch.echarts.json"]');
  await page.frameLocator('.media-block[data-path="charts/epoch.echarts.json"] [data-step="2"] iframe').locator("canvas").first().waitFor();
  await epochChart.getByLabel("Step of charts/epoch.echarts.json").selectOption("1");
  await page.frameLocator('.media-block[data-path="charts/epoch.echarts.json"] [data-step="1"] iframe').locator("canvas").first().waitFor();

  // HTML: scripts run in a frame (nested in the HTML sandbox page) without same-origin access.
  const frame = page.locator('.media-block[data-path="report.html"] iframe');
  expect(await frame.getAttribute("sandbox")).toBe("allow-scripts");
  const report = page.frameLocator('.media-block[data-path="report.html"] iframe').frameLocator("iframe");
  await expect.poll(() => report.locator("#out").innerText(), { timeout: 10_000 }).toContain("script ran");
  expect(await report.locator("#out").innerText()).toContain("cookie access: blocked");

  // Source code: git facts and the diff with added and removed lines marked.
  const source = page.locator(".source-code");
  expect(await source.innerText()).toContain("3f2a9c1d5e6b");
  expect(await source.innerText()).toContain("uncommitted changes");
  await expect.poll(() => source.locator(".diff-add").allInnerTexts()).toContain("+lr = 0.01\n");
  expect(await source.locator(".diff-text .diff-del").innerText()).toContain("-lr = 0.1");

  // Files: the tree (filtered by path), and a CSV preview with its head as a table.
  await page.getByLabel("Filter files").fill("metrics");
  await expect.poll(() => page.locator(".file-tree tbody tr").allInnerTexts()).toHaveLength(2);
  await page.locator(".file-tree").getByRole("button", { name: "metrics.csv", exact: true }).click();
  const preview = page.locator('.file-preview[data-path="data/metrics.csv"]');
  await preview.locator("table th").first().waitFor();
  expect(await preview.locator("table th").allInnerTexts()).toEqual(["name", "note", "value"]);
  expect(await preview.locator("table tbody tr").first().locator("td").allInnerTexts()).toEqual(["a, b", 'say "hi"', "1"]);

  // A long text shows its first 64 KiB, and more on request.
  await page.getByLabel("Filter files").fill("");
  await page.locator(".file-tree").getByRole("button", { name: "long.txt", exact: true }).click();
  const long = page.locator('.file-preview[data-path="logs/long.txt"]');
  await long.getByRole("button", { name: "Show up to 4 MiB" }).click();
  await expect.poll(() => long.locator("pre").innerText()).toContain("THE END");
  expect(await long.getByRole("button", { name: "Show up to 4 MiB" }).count()).toBe(0);

  if (process.env.CAIRN_E2E_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CAIRN_E2E_SCREENSHOTS}/run-media.png`, fullPage: true });
    await page.locator('.media-block[data-path="report.html"]').screenshot({ path: `${process.env.CAIRN_E2E_SCREENSHOTS}/run-media-html.png` });
  }
  await run.finish();
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);

test("a run's share link shows its console, images and file previews to a signed-out browser", async () => {
  const server = stage.server;
  const run = await init(`${server.workspace}/${server.project}`, { url: server.url, apiKey: server.apiKey, name: "shared media", flushIntervalMs: 50 });
  run.append("stdout", "shared line one");
  run.upload("images/preview", png(10, 10, [200, 120, 0]), { step: 4, name: "orange", contentType: "image/png" });
  run.upload("notes.txt", Buffer.from("notes for the reader"), { contentType: "text/plain" });
  await run.flush();
  const project = await trpc<{ id: string }>(server.url, "projects.settings", { workspace: server.workspace, project: server.project }, { kind: "query", cookie });
  const link = await trpc<{ token: string }>(server.url, "shareLinks.create", { projectId: project.data!.id, target: { kind: "run", runId: run.id }, label: "media" }, { cookie });

  const context = await stage.browser.newContext();
  const { page, errors } = await newPage(context);
  await page.goto(`${server.url}/share/${link.data!.token}`);
  await page.locator('.run-media[data-live="live"]').waitFor();
  await expect.poll(() => page.getByRole("log", { name: "stdout output" }).innerText()).toContain("shared line one");
  const img = page.locator('.gallery[data-path="images/preview"] .gallery-main img');
  expect(await img.getAttribute("src")).toContain(`share=${link.data!.token}`);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(10);
  await page.locator(".file-tree").getByRole("button", { name: "notes.txt", exact: true }).click();
  await expect.poll(() => page.locator('.file-preview[data-path="notes.txt"] pre').innerText()).toBe("notes for the reader");
  run.append("stdout", "shared line two");
  await run.flush();
  await expect.poll(() => page.getByRole("log", { name: "stdout output" }).innerText(), { timeout: 10_000 }).toContain("shared line two");
  await run.finish();
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test("console pages: follow and unfollow, earlier lines, a search hit in context; galleries follow new entries; images compare across runs", async () => {
  const server = stage.server;
  const run = await init(`${server.workspace}/${server.project}`, { url: server.url, apiKey: server.apiKey, name: "long log", flushIntervalMs: 50 });
  for (let i = 0; i < 700; i++) run.append("stdout", `row ${i}`, { step: i });
  run.upload("images/grid", png(8, 8, [10, 10, 10]), { step: 0, contentType: "image/png" });
  await run.flush();
  const other = await init(`${server.workspace}/${server.project}`, { url: server.url, apiKey: server.apiKey, name: "other", flushIntervalMs: 50 });
  other.upload("images/grid", png(6, 6, [250, 250, 0]), { step: 1, name: "other-1", contentType: "image/png" });
  await other.flush();

  const context = await stage.contextWithCookies(cookie);
  const { page, errors } = await newPage(context);
  await page.goto(`${server.url}/${server.workspace}/${server.project}/runs/${run.key}`);
  await page.locator('.run-media[data-live="live"]').waitFor();
  const log = page.getByRole("log", { name: "stdout output" });
  const follow = page.getByLabel("Follow");
  await expect.poll(() => log.innerText()).toContain("row 699");
  expect(await follow.isChecked()).toBe(true);

  // Scrolling up stops following: a new line does not move the view; following again does.
  await log.evaluate((el) => { el.scrollTop = 0; });
  await expect.poll(() => follow.isChecked()).toBe(false);
  run.append("stdout", "row 700", { step: 700 });
  await run.flush();
  await expect.poll(() => log.evaluate((el) => el.scrollHeight)).toBeGreaterThan(500 * 18);
  await page.waitForTimeout(300);
  expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
  await follow.check();
  await expect.poll(() => log.innerText()).toContain("row 700");

  // The tail holds the last 500 lines; earlier ones load on request, in place above.
  await page.getByRole("button", { name: "Load earlier lines" }).click();
  await expect.poll(() => page.getByRole("button", { name: "Load earlier lines" }).count()).toBe(0);
  await log.evaluate((el) => { el.scrollTop = 0; });
  await expect.poll(() => log.locator(".console-line").first().getAttribute("data-step")).toBe("0");

  // A search hit opens in context, away from the tail, and the tail comes back.
  await page.getByLabel("Search stdout").fill("row 123");
  await page.getByLabel("Search stdout").press("Enter");
  await page.getByLabel("Search results").getByRole("button", { name: /row 123/ }).click();
  await expect.poll(() => log.locator(".console-line.target").getAttribute("data-step")).toBe("123");
  await page.getByRole("button", { name: "Back to live tail" }).click();
  await expect.poll(() => log.innerText()).toContain("row 700");

  // A coloured, multi-line entry arrives: codes stripped, both lines shown, the tail still followed.
  run.append("stdout", "\x1b[31mred\x1b[0m first\nsecond part", { step: 701 });
  await run.flush();
  await expect.poll(() => log.locator('[data-step="701"]').innerText()).toContain("red first\nsecond part");
  expect(await follow.isChecked()).toBe(true);
  await expect.poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);

  // A new image entry while the page is open: the gallery moves to it.
  const main = page.locator('.gallery[data-path="images/grid"] .gallery-main img');
  await expect.poll(() => main.getAttribute("data-step")).toBe("0");
  run.upload("images/grid", png(8, 8, [0, 90, 200]), { step: 1, name: "new", contentType: "image/png" });
  await run.flush();
  await expect.poll(() => main.getAttribute("data-step"), { timeout: 10_000 }).toBe("1");
  expect(errors).toEqual([]);

  // The compare page puts the same step of both runs side by side.
  await page.goto(`${server.url}/${server.workspace}/${server.project}/compare?runs=${run.key},${other.key}`);
  const cells = page.locator('.image-compare[data-path="images/grid"] .image-compare-cell');
  await expect.poll(() => cells.count(), { timeout: 20_000 }).toBe(2);
  await expect.poll(() => cells.locator("img").evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth))).toEqual([8, 6]);
  expect(await cells.nth(1).innerText()).toContain("other-1");
  await run.finish();
  await other.finish();
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);
