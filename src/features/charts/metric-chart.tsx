"use client";

import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { LineChart, type LineSeriesOption } from "echarts/charts";
import {
  DataZoomComponent, GridComponent, LegendComponent, TooltipComponent,
  type DataZoomComponentOption, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption | LegendComponentOption>;

/** One point: `min`/`max` are a bucket's exact extremes (drawn as a faint band around the line). */
export type ChartPoint = { x: number; y: number | null; min?: number; max?: number };
export type ChartLine = { id: string; label: string; color: string; points: ChartPoint[] };
/** step: x is a step; wall: x is epoch milliseconds; relative: x is milliseconds since the start. */
export type ChartXAxis = "step" | "wall" | "relative";

export type MetricChartProps = {
  lines: ChartLine[];
  xAxis: ChartXAxis;
  logScale?: boolean;
  /** Exponential moving average weight, 0 (off) to 0.99; the raw line stays visible, faint. */
  smoothing?: number;
  /** The visible x window after a zoom settles; (-Infinity, Infinity) when zoomed out fully. */
  onZoom?: (from: number, to: number) => void;
  height?: number;
  /** Accessible name of the chart (also its data-chart attribute). */
  title?: string;
  /** Change this number to zoom the chart out fully (a "reset zoom" control). */
  zoomReset?: number;
};

/** On average at most one redraw per this many milliseconds (live points arrive up to ~10 times a second). */
const REDRAW_MS = 100;
const ZOOM_SETTLE_MS = 250;
const SEP = "\u241f"; // joins a line id and a series role in echarts series ids

type Role = "main" | "raw" | "lo" | "band";
const sid = (line: string, role: Role) => (role === "main" ? line : `${line}${SEP}${role}`);

/** TensorBoard-style EMA with debiasing, so the first points are not pulled towards zero. */
export function smooth(ys: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return ys;
  let acc = 0;
  let n = 0;
  return ys.map((y) => {
    if (y === null || !Number.isFinite(y)) return null;
    acc = acc * weight + (1 - weight) * y;
    n++;
    return acc / (1 - weight ** n);
  });
}

const hasBand = (line: ChartLine) => line.points.some((p) => p.min !== undefined && p.max !== undefined && p.min !== p.max);

/** Data for the series of one line under the current settings. */
function lineData(line: ChartLine, log: boolean, smoothing: number) {
  const ok = (y: number | null | undefined): number | null => (y === null || y === undefined || !Number.isFinite(y) || (log && y <= 0) ? null : y);
  const ys = line.points.map((p) => ok(p.y));
  const main = smoothing > 0 ? smooth(ys, smoothing) : ys;
  const out: Partial<Record<Role, (number | null)[][]>> = { main: line.points.map((p, i) => [p.x, main[i]]) };
  if (smoothing > 0) out.raw = line.points.map((p, i) => [p.x, ys[i]]);
  if (hasBand(line)) {
    out.lo = line.points.map((p) => [p.x, ok(p.min ?? p.y)]);
    out.band = line.points.map((p) => {
      const lo = ok(p.min ?? p.y);
      const hi = ok(p.max ?? p.y);
      return [p.x, lo === null || hi === null ? null : hi - lo];
    });
  }
  return out;
}

function seriesOf(line: ChartLine, log: boolean, smoothing: number): LineSeriesOption[] {
  const data = lineData(line, log, smoothing);
  const base = { type: "line" as const, name: line.label, showSymbol: false, animation: false, connectNulls: false, emphasis: { disabled: true } };
  const out: LineSeriesOption[] = [];
  if (data.lo && data.band) {
    // A band from min to max: an invisible line at min with the difference stacked on it.
    out.push({ ...base, id: sid(line.id, "lo"), data: data.lo, stack: sid(line.id, "band"), lineStyle: { opacity: 0 }, silent: true, z: 1 });
    out.push({ ...base, id: sid(line.id, "band"), data: data.band, stack: sid(line.id, "band"), lineStyle: { opacity: 0 }, areaStyle: { color: line.color, opacity: 0.18 }, silent: true, z: 1 });
  }
  if (data.raw) out.push({ ...base, id: sid(line.id, "raw"), data: data.raw, lineStyle: { color: line.color, width: 1, opacity: 0.25 }, itemStyle: { color: line.color }, silent: true, z: 2 });
  // A series of one point draws no line: show it as a dot (a metric logged once per run).
  const lonely = line.points.length < 2;
  out.push({ ...base, id: line.id, data: data.main, showSymbol: lonely, symbolSize: lonely ? 6 : undefined, lineStyle: { color: line.color, width: 1.6 }, itemStyle: { color: line.color }, z: 3, sampling: undefined });
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** Milliseconds as h:mm:ss (or m:ss under an hour). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${sign}${h}:${pad(m)}:${pad(s % 60)}` : `${sign}${m}:${pad(s % 60)}`;
}

function formatX(kind: ChartXAxis, x: number): string {
  if (kind === "wall") return new Date(x).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  if (kind === "relative") return formatDuration(x);
  return String(x);
}

const formatY = (y: number) => (Math.abs(y) >= 1e5 || (Math.abs(y) < 1e-3 && y !== 0) ? y.toExponential(3) : String(Number(y.toPrecision(6))));

function fullOption(props: MetricChartProps): Option {
  const log = props.logScale ?? false;
  const smoothing = props.smoothing ?? 0;
  const mains = new Set(props.lines.map((l) => l.id));
  const legend = props.lines.length > 1;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: legend ? 30 : 12, bottom: 44, containLabel: true },
    legend: { show: legend, type: "scroll", top: 0, data: props.lines.map((l) => ({ name: l.label, itemStyle: { color: l.color } })) },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "line", animation: false },
      confine: true,
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as { seriesId?: string; seriesName?: string; color?: string; value?: unknown }[];
        const rows = list.filter((p) => p.seriesId && mains.has(p.seriesId));
        if (rows.length === 0) return "";
        const x = (rows[0].value as [number, number | null])[0];
        const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
        return [
          `<b>${esc(formatX(props.xAxis, x))}</b>`,
          ...rows.map((p) => {
            const y = (p.value as [number, number | null])[1];
            return `<span style="color:${esc(String(p.color ?? ""))}">●</span> ${esc(p.seriesName ?? "")}: ${y === null ? "—" : esc(formatY(y))}`;
          }),
        ].join("<br/>");
      },
    },
    xAxis: {
      type: props.xAxis === "wall" ? "time" : "value",
      scale: true,
      axisLabel: { hideOverlap: true, formatter: props.xAxis === "relative" ? (v: number) => formatDuration(v) : undefined },
    },
    yAxis: { type: log ? "log" : "value", scale: true, axisLabel: { formatter: (v: number) => formatY(v) } },
    dataZoom: [
      { type: "inside", xAxisIndex: 0, filterMode: "none" },
      { type: "slider", xAxisIndex: 0, filterMode: "none", height: 16, bottom: 6, showDetail: false },
    ],
    series: props.lines.flatMap((l) => seriesOf(l, log, smoothing)),
  };
}

/** What forces a full option rebuild; anything else is a data update of changed series only. */
function structureKey(props: MetricChartProps): string {
  return JSON.stringify([
    props.xAxis, props.logScale ?? false, (props.smoothing ?? 0) > 0,
    props.lines.map((l) => [l.id, l.label, l.color, hasBand(l)]),
  ]);
}

/**
 * A line chart of one or more series. Data changes redraw only the series whose points
 * changed (at most ten redraws a second); settings changes rebuild the option but keep the
 * zoom window. After each redraw the element carries data-points (points drawn) and
 * data-drawn-at (performance.now() of the redraw) and fires a "chartdrawn" event.
 */
export function MetricChart(props: MetricChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const applied = useRef<{ key: string; smoothing: number; points: Map<string, ChartPoint[]>; xAxis: ChartXAxis; zoomReset?: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastDraw = useRef(0);

  /** Brings the chart up to the latest props; false when there was nothing to draw. */
  const apply = useRef((): boolean => {
    timer.current = null;
    const c = chart.current;
    const node = el.current;
    if (!c || !node) return false;
    const p = latest.current;
    const key = structureKey(p);
    const smoothing = p.smoothing ?? 0;
    const prev = applied.current;
    let drew = true;
    if (!prev || prev.key !== key) {
      // replaceMerge drops series of lines that went away; the zoom window stays unless the
      // x axis changed (its values would mean something else now) or a reset was asked for.
      const option = fullOption(p);
      if (prev && prev.xAxis === p.xAxis && prev.zoomReset === p.zoomReset) delete option.dataZoom;
      c.setOption(option, { replaceMerge: ["series", "legend"] });
    } else {
      const changed = p.lines.filter((l) => prev.smoothing !== smoothing || prev.points.get(l.id) !== l.points);
      const option: Option = {};
      if (changed.length > 0) {
        const log = p.logScale ?? false;
        option.series = changed.flatMap((l) => {
          const data = lineData(l, log, smoothing);
          return (Object.keys(data) as Role[]).map((role) => ({ id: sid(l.id, role), data: data[role] }));
        });
      }
      if (prev.zoomReset !== p.zoomReset) option.dataZoom = [{ start: 0, end: 100 }, { start: 0, end: 100 }];
      if (option.series || option.dataZoom) c.setOption(option);
      else drew = false;
    }
    applied.current = { key, smoothing, points: new Map(p.lines.map((l) => [l.id, l.points])), xAxis: p.xAxis, zoomReset: p.zoomReset };
    if (!drew) return false;
    lastDraw.current = performance.now();
    const count = p.lines.reduce((n, l) => n + l.points.length, 0);
    node.dataset.points = String(count);
    node.dataset.drawnAt = String(lastDraw.current);
    node.dataset.xAxis = p.xAxis;
    node.dataset.log = String(p.logScale ?? false);
    node.dispatchEvent(new CustomEvent("chartdrawn", { detail: { points: count, at: lastDraw.current } }));
    return true;
  });

  // Redraws average at most one per REDRAW_MS, with a credit of one: live events come about
  // every 100 ms, and a strict gap after the last draw would delay each by the worst jitter so far.
  const nextDue = useRef(0);
  const schedule = useRef(() => {
    if (timer.current) return;
    const now = performance.now();
    const wait = nextDue.current - REDRAW_MS - now;
    const run = () => {
      const at = performance.now();
      if (apply.current()) nextDue.current = Math.max(nextDue.current, at) + REDRAW_MS;
    };
    if (wait <= 0) run();
    else timer.current = setTimeout(run, wait);
  });

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = echarts.init(node, undefined, { renderer: "canvas" });
    chart.current = c;
    // Tests and benchmarks read the chart's state through the element.
    Object.defineProperty(node, "cairnChart", { value: c, configurable: true });
    let settle: ReturnType<typeof setTimeout> | null = null;
    c.on("datazoom", () => {
      if (settle) clearTimeout(settle);
      settle = setTimeout(() => {
        const onZoom = latest.current.onZoom ?? (() => {});
        const dz = (c.getOption() as { dataZoom?: { start?: number; end?: number; startValue?: number; endValue?: number }[] }).dataZoom?.[0];
        if (!dz) return;
        if ((dz.start ?? 0) <= 0 && (dz.end ?? 100) >= 100) {
          onZoom(-Infinity, Infinity);
        } else if (dz.startValue !== undefined && dz.endValue !== undefined) {
          const from = Number(dz.startValue);
          const to = Number(dz.endValue);
          // Hold the window by value: in percent it would slide as live points extend the axis.
          c.setOption({ dataZoom: [{ startValue: from, endValue: to }, { startValue: from, endValue: to }] } as Option);
          onZoom(from, to);
        }
      }, ZOOM_SETTLE_MS);
    });
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(node);
    apply.current();
    return () => {
      if (settle) clearTimeout(settle);
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      resize.disconnect();
      c.dispose();
      chart.current = null;
      applied.current = null;
    };
  }, []);

  // Every render with new props asks for a redraw; the throttle folds bursts into one.
  useEffect(() => {
    schedule.current();
  });

  return <div ref={el} className="metric-chart" role="img" aria-label={props.title} data-chart={props.title} style={{ height: props.height ?? 240 }} />;
}
