import { ensureBuild } from "../scripts/start.mjs";
import { launchBrowser } from "../e2e/browser";
import { adminSession } from "../test/helpers/sessions";
import { startServer } from "../test/helpers/server";
import { percentile } from "./harness/stats";

const POINTS = Number(process.env.BENCH_LIVE_POINTS ?? 250);
const WARMUP = 10;
const SPACING_MS = Number(process.env.BENCH_LIVE_SPACING_MS ?? 100);
const PATH = "bench/value";

/** Runs in the page: sends the requests and timestamps responses and draws with one clock. */
const IN_PAGE = `async ({ runId, apiKey, path, total, spacing }) => {
  const el = document.querySelector('.metric-chart[data-chart="' + path + '"]');
  // The first draw showing at least n points, by n.
  const drawn = new Map();
  let shown = 1;
  let waiters = [];
  el.addEventListener("chartdrawn", (e) => {
    const { points, at } = e.detail;
    for (let n = shown + 1; n <= points; n++) if (!drawn.has(n)) drawn.set(n, at);
    shown = Math.max(shown, points);
    const still = [];
    for (const w of waiters) if (drawn.has(w.n)) w.resolve(); else still.push(w);
    waiters = still;
  });
  const drawnBy = (n, ms) => new Promise((resolve) => {
    if (drawn.has(n)) return resolve();
    waiters.push({ n, resolve });
    setTimeout(resolve, ms);
  });
  const out = [];
  for (let step = 1; step <= total; step++) {
    const sentAt = performance.now();
    const res = await fetch("/api/v1/runs/" + runId + "/ops", {
      method: "POST",
      headers: { authorization: "Bearer " + apiKey, "content-type": "application/json" },
      body: JSON.stringify({ batchId: "p" + step, ops: [{ append: path, points: [{ step, value: Math.sin(step / 10) + 2 }] }] }),
    });
    await res.json();
    const respondedAt = performance.now();
    if (!res.ok) throw new Error("ops: " + res.status);
    await drawnBy(step + 1, 5000);
    out.push({ step, sentAt, respondedAt, drawnAt: drawn.has(step + 1) ? drawn.get(step + 1) : null });
    const wait = sentAt + spacing - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return out;
}`;

type Sample = { step: number; sentAt: number; respondedAt: number; drawnAt: number | null };

/**
 * Live latency: from an ops request's response to the point drawn in a subscribed Chromium
 * page. The page itself sends the requests (fetch with the API key) and listens for the run
 * chart's "chartdrawn" event, so both ends are timestamped with the page's performance.now()
 * and no clock alignment is needed. One point per request, about 100 ms apart.
 */
export async function benchLiveLatency(log: (msg: string) => void = () => {}) {
  await ensureBuild({ log: () => {} });
  // Pages and API on PostgreSQL, like the other server benchmarks.
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const server = await startServer({ web: true, env: { CAIRN_LOG_LEVEL: "error" } });
  const browser = await launchBrowser();
  try {
    const cookie = await adminSession(server.url);
    const api = async (method: string, path: string, body: unknown) => {
      const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ id: string; key: string }>;
    };
    const run = await api("POST", `/api/v1/projects/${server.workspace}/${server.project}/runs`, { name: "live-latency" });
    await api("POST", `/api/v1/runs/${run.id}/ops`, { batchId: "seed", ops: [{ append: PATH, points: [{ step: 0, value: 0 }] }] });

    const context = await browser.newContext();
    await context.addCookies(cookie.split("; ").map((c) => {
      const eq = c.indexOf("=");
      return { name: c.slice(0, eq), value: c.slice(eq + 1), url: server.url };
    }));
    const page = await context.newPage();
    await page.goto(`${server.url}/${server.workspace}/${server.project}/runs/${run.key}`);
    await page.locator('.run-page[data-live="live"]').waitFor({ timeout: 30_000 });
    const chart = page.locator(`.metric-chart[data-chart="${PATH}"]`);
    await chart.waitFor({ timeout: 30_000 });
    for (let i = 0; i < 100 && (await chart.getAttribute("data-points")) !== "1"; i++) await page.waitForTimeout(100);
    log(`live: page subscribed to ${run.key}; sending ${POINTS + WARMUP} points ${SPACING_MS} ms apart`);

    // A string, not a function: tsx's transform would wrap inner functions in a helper the page lacks.
    const samples = await page.evaluate(`(${IN_PAGE})(${JSON.stringify({ runId: run.id, apiKey: server.apiKey, path: PATH, total: POINTS + WARMUP, spacing: SPACING_MS })})`);

    const measured = (samples as Sample[]).slice(WARMUP);
    const missing = measured.filter((s) => s.drawnAt === null).length;
    const latencies = measured.filter((s) => s.drawnAt !== null).map((s) => s.drawnAt! - s.respondedAt).sort((a, b) => a - b);
    const requestMs = measured.map((s) => s.respondedAt - s.sentAt).sort((a, b) => a - b);
    const round = (v: number) => Math.round(v * 10) / 10;
    const p50 = round(percentile(latencies, 50));
    const p95 = round(percentile(latencies, 95));
    const max = round(latencies[latencies.length - 1] ?? NaN);
    const pass = missing === 0 && p95 < 100;
    return {
      headline: `response → drawn: p50 ${p50} ms, p95 ${p95} ms, max ${max} ms over ${latencies.length} points`,
      target: "p95 < 100 ms on loopback",
      pass,
      points: latencies.length,
      missing,
      latencyMs: { p50, p95, max, min: round(latencies[0] ?? NaN) },
      // Negative latencies: the socket event overtook the HTTP response.
      drawnBeforeResponse: latencies.filter((l) => l < 0).length,
      requestMs: { p50: round(percentile(requestMs, 50)), p95: round(percentile(requestMs, 95)) },
      spacingMs: SPACING_MS,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
