/**
 * The frame documents that user-supplied charts and HTML render in. Their own response CSP
 * carries `sandbox allow-scripts`, so even opened directly they have an opaque origin: no
 * cookies, no tRPC, no reach into Cairn's pages. Nothing but the listed scripts may load and
 * no request may leave (`connect-src 'none'`, images only from data:/blob:).
 */

const common = [
  "sandbox allow-scripts",
  "default-src 'none'",
  "img-src data: blob:",
  "font-src data:",
  "media-src data: blob:",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
];

/**
 * Charts run only Cairn's own scripts: ECharts and Plotly put formatter strings into innerHTML,
 * and without 'unsafe-inline' an `onerror=` in them cannot run even inside the frame.
 */
const chartPolicy = [...common, "script-src 'self'", "style-src 'self' 'unsafe-inline'"].join("; ");

/**
 * A logged HTML report brings its own inline scripts (exports of Plotly, Bokeh, pandas…); it
 * renders in a nested srcdoc frame that inherits this policy: inline code runs, nothing loads
 * from another host, and the nested frame cannot navigate anywhere (`default-src 'none'`
 * covers frame-src).
 */
const htmlPolicy = [...common, "script-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:", "style-src 'unsafe-inline' data:"].join("; ");

const pages = {
  chart: { policy: chartPolicy, script: "/sandbox/chart-frame.js", body: '<div id="chart"></div>' },
  html: { policy: htmlPolicy, script: "/sandbox/html-frame.js", body: "" },
} as const;

export type SandboxKind = keyof typeof pages;

export const sandboxPolicy = (kind: SandboxKind) => pages[kind].policy;

/** The frame document for one kind: a blank page that waits for its content by postMessage. */
export function sandboxPage(kind: SandboxKind): Response {
  const { policy, script, body } = pages[kind];
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<style>html,body{margin:0;padding:0;background:transparent}</style></head>`
    // After the body, so the script finds its container.
    + `<body>${body}<script src="${script}"></script></body></html>`;
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": policy,
      "x-frame-options": "SAMEORIGIN",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "public, max-age=300",
    },
  });
}
