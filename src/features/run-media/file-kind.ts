/**
 * How the run page shows a file, decided from its path and content type (and, for JSON, its
 * content). The rules for interactive charts:
 * - ECharts: a path ending in `.echarts.json`, or the content type `application/vnd.echarts+json`;
 *   any other JSON object with a `series` key and at least one ECharts component key
 *   (xAxis, yAxis, radar, polar, geo, dataset, …) when it is opened in the file browser.
 * - Plotly: a path ending in `.plotly.json`, or `application/vnd.plotly.v1+json` (Plotly's own
 *   MIME type); any other JSON object whose `data` is an array of objects (traces), with or
 *   without `layout`, when opened in the file browser.
 * - HTML: `text/html` or a path ending in `.html`/`.htm`, shown in a sandboxed frame.
 */
export type FileKind = "image" | "video" | "audio" | "echarts" | "plotly" | "html" | "csv" | "json" | "text" | "other";

const TEXT_TYPES = /^(text\/|application\/(x-)?(yaml|toml|xml|javascript|x-sh|x-python|x-diff|x-patch|x-ndjson|jsonl?|ld\+json|sql)\b)/i;
const TEXT_SUFFIX = /\.(txt|log|md|py|ts|tsx|js|jsx|sh|yaml|yml|toml|ini|cfg|conf|xml|diff|patch|ipynb|r|rs|go|java|c|h|cpp|hpp|sql|jsonl|ndjson|out|err)$/i;

export function fileKind(path: string, contentType: string | null): FileKind {
  const type = (contentType ?? "").toLowerCase().split(";")[0].trim();
  const lower = path.toLowerCase();
  if (lower.endsWith(".echarts.json") || type === "application/vnd.echarts+json") return "echarts";
  if (lower.endsWith(".plotly.json") || type === "application/vnd.plotly.v1+json") return "plotly";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  if (type === "text/html" || /\.html?$/.test(lower)) return "html";
  if (type === "text/csv" || type === "text/tab-separated-values" || /\.(csv|tsv)$/.test(lower)) return "csv";
  if (type === "application/json" || type.endsWith("+json") || lower.endsWith(".json")) return "json";
  if (TEXT_TYPES.test(type) || TEXT_SUFFIX.test(lower)) return "text";
  return "other";
}

/** Whether a file is listed among the run's interactive charts (by its path or type alone). */
export const isChartFile = (path: string, contentType: string | null) => ["echarts", "plotly", "html"].includes(fileKind(path, contentType));

const ECHARTS_COMPONENTS = [
  "xAxis", "yAxis", "radar", "polar", "angleAxis", "radiusAxis", "geo", "dataset", "visualMap", "parallel",
  "parallelAxis", "singleAxis", "calendar", "grid", "dataZoom",
];

/** What a parsed JSON value is, for JSON files without a chart suffix. */
export function chartShape(value: unknown): "echarts" | "plotly" | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.data) && o.data.length > 0 && o.data.every((t) => t && typeof t === "object" && !Array.isArray(t))) {
    const keys = Object.keys(o);
    if (keys.every((k) => ["data", "layout", "frames", "config"].includes(k))) return "plotly";
  }
  if ("series" in o && (Array.isArray(o.series) || (o.series !== null && typeof o.series === "object"))) {
    if (ECHARTS_COMPONENTS.some((k) => k in o)) return "echarts";
    const list = Array.isArray(o.series) ? o.series : [o.series];
    // Charts without axes (pie, gauge, funnel, sankey, …) still name their type on each series.
    if (list.length > 0 && list.every((s) => s && typeof s === "object" && typeof (s as { type?: unknown }).type === "string")) return "echarts";
  }
  return null;
}
