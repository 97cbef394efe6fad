"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { formatValue } from "@/components/format";
import type { Widget, WidgetData } from "@/contracts/dashboards";
import { MetricChart } from "@/features/charts/metric-chart";
import { colorsOf } from "@/features/charts/run-colors";
import { FieldScatter, ParallelCoordinates, type ChartRun } from "@/features/compare/field-charts";
import { useTRPC } from "@/trpc/client";

const ROW_PX = 300;

/** A widget's chart or table, drawn from the runs its query selects. */
export function WidgetView({ projectId, widget, base }: { projectId: string; widget: Widget; base: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dashboards.widgetData.queryOptions({ projectId, widget }, { placeholderData: (prev) => prev }));
  const height = widget.height * ROW_PX - 60 + (widget.height - 1) * 12;
  if (query.error) return <p className="error-text" role="alert">{query.error.message}</p>;
  if (!query.data) return <p className="muted">Loading…</p>;
  if (query.data.runs.length === 0) return <p className="muted">No runs match this widget&apos;s query.</p>;
  return <WidgetBody data={query.data} widget={widget} height={height} base={base} />;
}

function WidgetBody({ data, widget, height, base }: { data: WidgetData; widget: Widget; height: number; base: string }) {
  const colors = useMemo(() => colorsOf(data.runs.map((r) => r.key)), [data.runs]);
  const title = widget.title || defaultTitle(widget);
  if (data.kind === "metric") {
    const byId = new Map(data.runs.map((r) => [r.id, r]));
    const lines = data.lines.filter((l) => byId.has(l.runId)).map((l) => {
      const run = byId.get(l.runId)!;
      return { id: run.id, label: run.key, color: colors.get(run.key)!, points: l.points };
    });
    if (lines.length === 0) return <p className="muted">{`None of the ${data.runs.length} runs has a float series ${widget.kind === "metric" ? widget.metric : ""}.`}</p>;
    return <MetricChart title={title} lines={lines} xAxis="step" logScale={widget.kind === "metric" && widget.logScale} height={height} />;
  }
  const runs: ChartRun[] = data.runs.map((r) => ({ id: r.id, key: r.key, color: colors.get(r.key)!, value: (o: string) => numericish(r.values[o]) }));
  if (widget.kind === "scatter") return <FieldScatter runs={runs} x={widget.x} y={widget.y} title={title} height={height - 10} />;
  if (widget.kind === "parallel") return <ParallelCoordinates runs={runs} dimensions={widget.dimensions} title={title} height={height} />;
  if (widget.kind !== "table") return null;
  return (
    <table className="table widget-table" aria-label={title}>
      <thead><tr><th>Run</th>{widget.columns.map((c) => <th key={c} className="mono">{c}</th>)}</tr></thead>
      <tbody>
        {data.runs.map((r) => (
          <tr key={r.id}>
            <td className="mono"><span className="run-swatch" style={{ background: colors.get(r.key) }} /><Link href={`${base}/runs/${encodeURIComponent(r.key)}`}>{r.key}</Link></td>
            {widget.columns.map((c) => <td key={c} className="mono">{cell(r.values[c])}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** NaN and ±Infinity travel as strings; a series column comes as its summary (its last value here). */
function numericish(v: unknown): unknown {
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
  if (v && typeof v === "object" && "last" in v) return (v as { last: unknown }).last;
  return v;
}

function cell(v: unknown): string {
  if (Array.isArray(v)) return v.join(", ");
  if (v && typeof v === "object") return "last" in v ? formatValue((v as { last: number | string | null }).last) : JSON.stringify(v);
  return formatValue(v as string | number | boolean | null | undefined);
}

export function defaultTitle(w: Widget): string {
  switch (w.kind) {
    case "metric": return w.metric;
    case "scatter": return `${w.y} vs ${w.x}`;
    case "parallel": return w.dimensions.join(" · ");
    case "table": return `Top ${w.runs.limit} runs`;
  }
}
