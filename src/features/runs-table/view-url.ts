import { RunTableView, defaultView } from "@/contracts/run-table";

/*
 * A table view in the page's search params, readable and editable by hand:
 *   ?q=params/lr > 0.01&sort=params/lr:desc&cols=params/lr,last(train/loss)&w=params/lr:140
 *   &group=params/optimizer&agg=params/lr&chart=<json>&view=<saved view id>
 * Parameters left out keep their defaults, so the bare page URL is the default view.
 */

type Params = { get(name: string): string | null };

const list = (s: string | null) => (s === null ? null : s.split(",").map((x) => x.trim()).filter(Boolean));

/** The view a URL describes; anything malformed falls back to that part's default. */
export function viewFromParams(params: Params, base: RunTableView = defaultView()): RunTableView {
  const raw: Record<string, unknown> = { ...base };
  const cols = list(params.get("cols"));
  if (cols) raw.columns = cols;
  const q = params.get("q");
  if (q !== null) raw.filter = q;
  const sort = params.get("sort");
  if (sort !== null) {
    const at = sort.lastIndexOf(":");
    const direction = sort.slice(at + 1);
    raw.sort = sort === "" ? null : at > 0 && (direction === "asc" || direction === "desc") ? { column: sort.slice(0, at), direction } : { column: sort, direction: "asc" };
  }
  const w = list(params.get("w"));
  if (w) {
    raw.widths = Object.fromEntries(w.flatMap((pair) => {
      const at = pair.lastIndexOf(":");
      const n = Number(pair.slice(at + 1));
      return at > 0 && Number.isInteger(n) ? [[pair.slice(0, at), n]] : [];
    }));
  }
  const group = params.get("group");
  if (group !== null) raw.groupBy = group || null;
  const agg = list(params.get("agg"));
  if (agg) raw.aggregates = agg;
  const chart = params.get("chart");
  if (chart) {
    try { raw.chart = JSON.parse(chart); } catch { /* a hand-edited chart layout that does not parse is dropped */ }
  }
  // Part by part: a bad part gets its default instead of throwing the whole view away.
  const parsed = RunTableView.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fallback: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (RunTableView.safeParse({ ...fallback, [k]: v }).success) fallback[k] = v;
  }
  return RunTableView.parse(fallback);
}

/** Search params for a view: only the parts that differ from the default. */
export function viewToParams(view: RunTableView, savedViewId?: string | null): URLSearchParams {
  const d = defaultView();
  const p = new URLSearchParams();
  if (savedViewId) p.set("view", savedViewId);
  if (view.filter) p.set("q", view.filter);
  if (view.sort) p.set("sort", `${view.sort.column}:${view.sort.direction}`);
  if (view.columns.join(",") !== d.columns.join(",")) p.set("cols", view.columns.join(","));
  const widths = Object.entries(view.widths);
  if (widths.length) p.set("w", widths.map(([k, v]) => `${k}:${v}`).join(","));
  if (view.groupBy) p.set("group", view.groupBy);
  if (view.aggregates.length) p.set("agg", view.aggregates.join(","));
  if (view.chart !== null) p.set("chart", JSON.stringify(view.chart));
  return p;
}

/** Whether the URL asks for anything beyond the default view (else a saved/initial view applies). */
export const hasViewParams = (params: Params) => ["cols", "q", "sort", "w", "group", "agg", "chart"].some((k) => params.get(k) !== null);

/** The view a share link or saved state holds (older links wrote the filter as `query`). */
export function viewFromLink(raw: unknown): RunTableView {
  const v = raw && typeof raw === "object" && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  if (typeof v.query === "string" && v.filter === undefined) v.filter = v.query;
  if (v.sort && typeof v.sort === "object" && !(v.sort as { direction?: string }).direction) v.sort = { ...(v.sort as object), direction: "asc" };
  const parsed = RunTableView.safeParse(v);
  if (parsed.success) return parsed.data;
  const kept: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) if (RunTableView.safeParse({ ...kept, [k]: value }).success) kept[k] = value;
  return RunTableView.parse(kept);
}
