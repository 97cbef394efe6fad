"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState, type FormEvent } from "react";
import { Widget, type WidgetKind } from "@/contracts/dashboards";
import { useTRPC } from "@/trpc/client";

const kinds: { value: WidgetKind; label: string }[] = [
  { value: "metric", label: "Metric across runs" },
  { value: "scatter", label: "Scatter" },
  { value: "parallel", label: "Parallel coordinates" },
  { value: "table", label: "Table" },
];

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const newId = () => `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Adds a widget, or edits one: which runs (query, sort, how many) and what to draw of them. */
export function WidgetForm({ initial, onDone, onCancel, project }: {
  initial?: Widget; onDone: (w: Widget) => void; onCancel: () => void; project: { workspace: string; project: string };
}) {
  const [kind, setKind] = useState<WidgetKind>(initial?.kind ?? "metric");
  const trpc = useTRPC();
  const listId = useId();
  // Suggestions: the project's field paths as operands (a float series also as last/min/max).
  const fields = useQuery(trpc.runsTable.fields.queryOptions(project, { staleTime: 60_000 }));
  const { metrics, operands } = useMemo(() => {
    const list = fields.data?.fields ?? [];
    const series = list.filter((f) => f.types.includes("floatSeries")).map((f) => f.path);
    const atoms = list.filter((f) => f.types.some((t) => ["float", "string", "bool", "datetime"].includes(t))).map((f) => f.path);
    return { metrics: series, operands: [...atoms, ...series.flatMap((p) => [`last(${p})`, `min(${p})`, `max(${p})`]), "sys/creation_time", "sys/state", "sys/owner"] };
  }, [fields.data]);
  const [error, setError] = useState<string | null>(null);
  const v = (initial ?? {}) as Partial<Record<string, unknown>> & Partial<Widget>;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? "").trim();
    const raw = {
      id: initial?.id ?? newId(), kind, title: get("title"),
      width: Number(get("width")), height: Number(get("height")),
      runs: { query: get("query"), sort: { column: get("sort") || "sys/creation_time", direction: get("direction") }, limit: Number(get("limit")) },
      ...(kind === "metric" ? { metric: get("metric"), logScale: f.get("logScale") === "on" } : {}),
      ...(kind === "scatter" ? { x: get("x"), y: get("y") } : {}),
      ...(kind === "parallel" ? { dimensions: list(get("dimensions")) } : {}),
      ...(kind === "table" ? { columns: list(get("columns")) } : {}),
    };
    const parsed = Widget.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(`${issue.path.join(".") || "widget"}: ${issue.message}`);
      return;
    }
    setError(null);
    onDone(parsed.data);
  }

  const str = (x: unknown, d = "") => (typeof x === "string" ? x : d);
  return (
    <form className="panel" onSubmit={submit} aria-label={initial ? "Edit widget" : "Add widget"}>
      <div className="widget-editor">
        <label className="field"><span className="field-label">Kind</span>
          <select className="input" name="kind" value={kind} onChange={(e) => setKind(e.target.value as WidgetKind)} disabled={!!initial}>
            {kinds.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
          </select>
        </label>
        <label className="field"><span className="field-label">Title</span><input className="input" name="title" defaultValue={v.title ?? ""} placeholder="(from the fields)" /></label>
        {kind === "metric" && <>
          <label className="field"><span className="field-label">Metric (float series)</span><input className="input" name="metric" required list={`${listId}-metrics`} defaultValue={str(v.metric)} placeholder="train/loss" /></label>
          <label className="check"><input type="checkbox" name="logScale" defaultChecked={v.logScale === true} /> Log scale</label>
        </>}
        {kind === "scatter" && <>
          <label className="field"><span className="field-label">x field</span><input className="input" name="x" required list={`${listId}-operands`} defaultValue={str(v.x)} placeholder="params/lr" /></label>
          <label className="field"><span className="field-label">y field</span><input className="input" name="y" required list={`${listId}-operands`} defaultValue={str(v.y)} placeholder="last(val/acc)" /></label>
        </>}
        {kind === "parallel" && (
          <label className="field"><span className="field-label">Axes, comma-separated</span>
            <input className="input" name="dimensions" required defaultValue={Array.isArray(v.dimensions) ? v.dimensions.join(", ") : ""} placeholder="params/lr, params/batch, last(val/acc)" />
          </label>
        )}
        {kind === "table" && (
          <label className="field"><span className="field-label">Columns, comma-separated</span>
            <input className="input" name="columns" required defaultValue={Array.isArray(v.columns) ? v.columns.join(", ") : ""} placeholder="params/lr, last(train/loss)" />
          </label>
        )}
        <label className="field"><span className="field-label">Runs matching (query)</span>
          <input className="input" name="query" defaultValue={v.runs?.query ?? ""} placeholder={'tags contains "baseline"'} />
        </label>
        <label className="field"><span className="field-label">Sorted by</span><input className="input" name="sort" list={`${listId}-operands`} defaultValue={v.runs?.sort.column ?? "sys/creation_time"} /></label>
        <label className="field"><span className="field-label">Direction</span>
          <select className="input" name="direction" defaultValue={v.runs?.sort.direction ?? "desc"}>
            <option value="desc">descending (top)</option><option value="asc">ascending</option>
          </select>
        </label>
        <label className="field"><span className="field-label">How many runs</span><input className="input" name="limit" type="number" min={1} max={100} defaultValue={v.runs?.limit ?? 10} /></label>
        <label className="field"><span className="field-label">Width</span>
          <select className="input" name="width" defaultValue={String(v.width ?? 2)}>
            {[1, 2, 3, 4].map((n) => <option key={n} value={n}>{`${n} of 4 columns`}</option>)}
          </select>
        </label>
        <label className="field"><span className="field-label">Height</span>
          <select className="input" name="height" defaultValue={String(v.height ?? 1)}>
            {[1, 2, 3].map((n) => <option key={n} value={n}>{`${n} row${n > 1 ? "s" : ""}`}</option>)}
          </select>
        </label>
      </div>
      <datalist id={`${listId}-metrics`}>{metrics.map((m) => <option key={m} value={m} />)}</datalist>
      <datalist id={`${listId}-operands`}>{operands.map((o) => <option key={o} value={o} />)}</datalist>
      {error && <p className="error-text" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="btn">{initial ? "Apply" : "Add widget"}</button>
        <button type="button" className="btn btn-small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
