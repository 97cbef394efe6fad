"use client";

import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { ParallelChart, ScatterChart } from "echarts/charts";
import { GridComponent, ParallelComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import { formatValue } from "@/components/format";

echarts.use([ParallelChart, ScatterChart, ParallelComponent, GridComponent, TooltipComponent, CanvasRenderer]);

// Options are built by hand below; the composed option type rejects parallelAxis lists.
type Option = echarts.EChartsCoreOption;

/** A run as these charts draw it: its key (the label), colour, and the value of each field. */
export type ChartRun = { id: string; key: string; color: string; value: (operand: string) => unknown };

/** An echarts canvas for one option; replaced whole when the option changes. */
function EChart({ option, title, height }: { option: Option; title: string; height: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const node = el.current!;
    const c = echarts.init(node, undefined, { renderer: "canvas" });
    chart.current = c;
    Object.defineProperty(node, "cairnChart", { value: c, configurable: true });
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(node);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
    if (el.current) el.current.dataset.drawnAt = String(performance.now());
  }, [option]);
  return <div ref={el} className="field-chart" role="img" aria-label={title} data-chart={title} style={{ height }} />;
}

/** Text for the tooltips, which ECharts writes into innerHTML: run keys and field paths are data. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "boolean" ? Number(v) : null);

/**
 * Parallel coordinates: one axis per field (numeric, or a category axis when any run has text
 * there), one line per run in its colour.
 */
export function ParallelCoordinates({ runs, dimensions, title = "Parallel coordinates", height = 320 }: {
  runs: ChartRun[]; dimensions: string[]; title?: string; height?: number;
}) {
  const axes = dimensions.map((d, i) => {
    const values = runs.map((r) => r.value(d)).filter((v) => v !== undefined && v !== null);
    const categorical = values.some((v) => typeof v === "string" && !["NaN", "Infinity", "-Infinity"].includes(v));
    const cats = categorical ? [...new Set(values.map((v) => String(v)))].sort() : undefined;
    return {
      dim: i, name: d, type: categorical ? ("category" as const) : ("value" as const), data: cats, scale: !categorical,
      nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10, formatter: categorical ? undefined : (v: number) => formatValue(v) },
    };
  });
  const option: Option = {
    animation: false,
    tooltip: { trigger: "item", formatter: (p: unknown) => esc(String((p as { seriesName?: string }).seriesName ?? "")) },
    parallel: { left: 40, right: 60, top: 40, bottom: 24 },
    parallelAxis: axes,
    series: runs.map((r) => ({
      type: "parallel" as const, name: r.key, lineStyle: { color: r.color, width: 2, opacity: 0.85 },
      data: [dimensions.map((d, i) => {
        const v = r.value(d);
        if (v === undefined || v === null) return null;
        return axes[i].type === "category" ? String(v) : asNumber(v);
      })] as never,
    })),
  };
  return <EChart option={option} title={title} height={height} />;
}

/** Each run a point at (x, y), labelled by its key. Runs without a numeric x or y are left out. */
export function FieldScatter({ runs, x, y, title = "Scatter", height = 320 }: {
  runs: ChartRun[]; x: string; y: string; title?: string; height?: number;
}) {
  const points = runs
    .map((r) => ({ r, px: asNumber(r.value(x)), py: asNumber(r.value(y)) }))
    .filter((p) => p.px !== null && p.py !== null);
  const option: Option = {
    animation: false,
    grid: { left: 8, right: 64, top: 28, bottom: 28, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const { seriesName, value } = p as { seriesName?: string; value?: [number, number] };
        return `<b>${esc(seriesName ?? "")}</b><br/>${esc(x)}: ${esc(formatValue(value?.[0]))}<br/>${esc(y)}: ${esc(formatValue(value?.[1]))}`;
      },
    },
    xAxis: { type: "value", scale: true, name: x, nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "value", scale: true, name: y },
    series: points.map(({ r, px, py }) => ({
      type: "scatter" as const, name: r.key, symbolSize: 11, itemStyle: { color: r.color },
      // A function, not a template string: a key is shown as it is, braces and all.
      label: { show: points.length <= 30, formatter: () => r.key, position: "right", fontSize: 10 },
      data: [[px!, py!]],
    })),
  };
  return (
    <>
      <EChart option={option} title={title} height={height} />
      {points.length < runs.length && (
        <p className="muted small">{`${runs.length - points.length} of ${runs.length} runs have no numeric value for ${x} or ${y}.`}</p>
      )}
    </>
  );
}
