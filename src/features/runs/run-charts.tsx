"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { RunSeriesPoint, RunSeriesResult } from "@/contracts/run-data";
import type { RunView } from "@/contracts/runs";
import { MetricChart, type ChartPoint, type ChartXAxis } from "@/features/charts/metric-chart";
import { colorOf } from "@/features/charts/run-colors";
import { useTRPC } from "@/trpc/client";
import type { AppendedSeries, PointsListener } from "./use-live-run";

export type ChartSettings = { xAxis: ChartXAxis; smoothing: number; logScale: boolean };
type Subscribe = (listener: PointsListener) => () => void;

/** The chart controls shared by every chart of the page. */
export function ChartControls({ settings, onChange }: { settings: ChartSettings; onChange: (s: ChartSettings) => void }) {
  return (
    <div className="chart-controls" role="group" aria-label="Chart settings">
      <label className="chart-control">
        <span>X axis</span>
        <select className="input" aria-label="X axis" value={settings.xAxis} onChange={(e) => onChange({ ...settings, xAxis: e.target.value as ChartXAxis })}>
          <option value="step">Step</option>
          <option value="wall">Wall time</option>
          <option value="relative">Relative time</option>
        </select>
      </label>
      <label className="chart-control">
        <span>Smoothing</span>
        <input
          type="range" aria-label="Smoothing" min={0} max={0.99} step={0.01} value={settings.smoothing}
          onChange={(e) => onChange({ ...settings, smoothing: Number(e.target.value) })}
        />
        <span className="mono smoothing-value">{settings.smoothing.toFixed(2)}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={settings.logScale} onChange={(e) => onChange({ ...settings, logScale: e.target.checked })} />
        Log scale
      </label>
    </div>
  );
}

/** Float series grouped by namespace (first path segment, or the second one under monitoring/). */
export function groupSeries(run: RunView, monitoring: boolean): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const [path, s] of Object.entries(run.series)) {
    if (s.type !== "floatSeries") continue;
    const parts = path.split("/");
    const isMonitoring = parts[0] === "monitoring";
    if (isMonitoring !== monitoring) continue;
    const group = monitoring ? (parts.length > 2 ? parts[1] : "system") : parts.length > 1 ? parts[0] : "(root)";
    const list = groups.get(group) ?? [];
    list.push(path);
    groups.set(group, list);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([g, paths]) => [g, paths.sort()]);
}

/** A section of chart groups; `monitoring` picks the monitoring/ series instead of the others. */
export function ChartGroups({ run, settings, subscribe, monitoring = false }: { run: RunView; settings: ChartSettings; subscribe: Subscribe; monitoring?: boolean }) {
  const groups = groupSeries(run, monitoring);
  const [folded, setFolded] = useState<Set<string>>(new Set());
  if (groups.length === 0) return <p className="muted">{monitoring ? "No monitoring series logged." : "No float series logged yet."}</p>;
  return (
    <div className="chart-groups">
      {groups.map(([group, paths]) => {
        const open = !folded.has(group);
        return (
          <div key={group} className="chart-group" data-group={group}>
            <h3>
              <button
                type="button" className="tree-toggle" aria-expanded={open}
                onClick={() => setFolded((s) => { const n = new Set(s); if (n.has(group)) n.delete(group); else n.add(group); return n; })}
              >
                <span aria-hidden>{open ? "▾" : "▸"}</span> {group} <span className="muted">({paths.length})</span>
              </button>
            </h3>
            {open && (
              <div className="chart-grid">
                {paths.map((path) => <SeriesChart key={path} run={run} path={path} settings={settings} subscribe={subscribe} />)}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}

type Window = { fromStep: number; toStep: number };

/** About two points per pixel of chart width, within what one read may return. */
const pointsFor = (width: number) => Math.max(200, Math.min(8_000, Math.round(width * 2)));

function appendLive(data: RunSeriesResult, points: { step: number; value: number | string; ts: number }[]): RunSeriesResult {
  const lastStep = data.points.length > 0 ? data.points[data.points.length - 1].step : -Infinity;
  const fresh: RunSeriesPoint[] = [];
  for (const p of points) {
    if (p.step <= lastStep) continue;
    const y = typeof p.value === "number" ? p.value : Number(p.value);
    fresh.push({ step: p.step, ts: p.ts, y: Number.isFinite(y) ? y : null });
  }
  return fresh.length === 0 ? data : { ...data, points: data.points.concat(fresh) };
}

/**
 * One float series: an overview of the whole series at chart resolution, patched in place by
 * live points; a zoom reads the visible window again at full resolution and shows it in place
 * of the overview's coarser points there.
 */
function SeriesChart({ run, path, settings, subscribe }: { run: RunView; path: string; settings: ChartSettings; subscribe: Subscribe }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  // A run may have hundreds of series: a chart is created, and its series read, once it scrolls near.
  const [near, setNear] = useState(false);
  const [zoom, setZoom] = useState<Window | null>(null);
  const [zoomReset, setZoomReset] = useState(0);
  const appended = useRef(0);

  useEffect(() => {
    const node = box.current;
    if (!node) return;
    // Resolution follows the width in steps of 100 px, so resizing does not refetch on every pixel.
    const measure = () => setWidth(Math.max(200, Math.round(node.clientWidth / 100) * 100));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(node);
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setNear(true);
        io.disconnect();
      }
    }, { rootMargin: "400px 0px" });
    io.observe(node);
    return () => { ro.disconnect(); io.disconnect(); };
  }, []);

  const maxPoints = width && near ? pointsFor(width) : 0;
  const overviewInput = { runId: run.id, path, maxPoints };
  const overview = useQuery({ ...trpc.runData.series.queryOptions(overviewInput), enabled: maxPoints > 0, staleTime: Infinity });
  const detail = useQuery({
    ...trpc.runData.series.queryOptions({ runId: run.id, path, maxPoints, fromStep: zoom?.fromStep, toStep: zoom?.toStep }),
    enabled: zoom !== null && maxPoints > 0,
    staleTime: Infinity,
  });

  // Live points patch the overview in the query cache; a truncated burst or a fetch in flight refetches.
  const overviewKey = trpc.runData.series.queryKey(overviewInput);
  const keyRef = useRef(overviewKey);
  keyRef.current = overviewKey;
  useEffect(() => subscribe((series: AppendedSeries) => {
    const s = series[path];
    if (!s || s.summary.type !== "floatSeries") return;
    const key = keyRef.current;
    const state = queryClient.getQueryState(key);
    if (!state || state.status !== "success") return; // the first read is still coming and will hold them
    if (s.truncated || state.fetchStatus === "fetching") {
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
      return;
    }
    queryClient.setQueryData<RunSeriesResult>(key, (old) => (old ? appendLive(old, s.points) : old));
    // Raw points appended after buckets thin out the overview's resolution; re-read it now and then.
    appended.current += s.points.length;
    const cached = queryClient.getQueryData<RunSeriesResult>(key);
    if (cached?.bucketed && appended.current > maxPoints / 2) {
      appended.current = 0;
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
    }
  }), [subscribe, path, queryClient, maxPoints]);

  const start = useMemo(() => {
    const created = run.fields["sys/creation_time"];
    return typeof created === "string" ? Date.parse(created) : 0;
  }, [run.fields]);

  const merged = useMemo(() => {
    const base = overview.data?.points ?? [];
    if (!zoom || !detail.data) return base;
    return [...base.filter((p) => p.step < zoom.fromStep), ...detail.data.points, ...base.filter((p) => p.step > zoom.toStep)];
  }, [overview.data, detail.data, zoom]);

  const points = useMemo<ChartPoint[]>(() => merged.map((p) => ({
    x: settings.xAxis === "step" ? p.step : settings.xAxis === "wall" ? p.ts : p.ts - start,
    y: p.y,
    ...(p.min !== undefined || p.max !== undefined ? { min: p.min ?? undefined, max: p.max ?? undefined } : {}),
  })), [merged, settings.xAxis, start]);

  // A new x axis starts unzoomed.
  useEffect(() => setZoom(null), [settings.xAxis]);

  const lines = useMemo(() => [{ id: path, label: path, color: colorOf(run.key), points }], [path, run.key, points]);

  function onZoom(from: number, to: number) {
    if (!Number.isFinite(from) || !Number.isFinite(to)) { setZoom(null); return; }
    // x back to steps: the steps of the points now drawn inside the window.
    const inside = merged.filter((_, i) => points[i].x >= from && points[i].x <= to);
    if (inside.length === 0) return;
    const fromStep = settings.xAxis === "step" ? from : inside[0].step;
    const toStep = settings.xAxis === "step" ? to : inside[inside.length - 1].step;
    setZoom({ fromStep, toStep });
  }

  const summary = run.series[path];
  const state = overview.isError ? "error" : overview.data ? (zoom ? (detail.data ? "zoomed" : "loading") : "ready") : "loading";
  return (
    <figure
      className="chart-card" data-series={path} data-state={state}
      data-zoom={zoom ? `${zoom.fromStep}:${zoom.toStep}` : undefined}
      data-detail-points={zoom && detail.data ? detail.data.points.length : undefined}
      data-bucketed={overview.data ? String(overview.data.bucketed) : undefined}
    >
      <figcaption>
        <span className="mono chart-title">{path}</span>
        {summary && summary.last !== null && <span className="muted mono chart-last">last {typeof summary.last === "number" ? Number(summary.last.toPrecision(6)) : summary.last}</span>}
        {zoom && <button type="button" className="btn-link chart-reset" onClick={() => { setZoom(null); setZoomReset((n) => n + 1); }}>reset zoom</button>}
      </figcaption>
      <div ref={box} style={{ minHeight: 220 }}>
        {overview.isError
          ? <p className="error-text">Could not load this series: {overview.error.message}</p>
          : near && <MetricChart title={path} lines={lines} xAxis={settings.xAxis} logScale={settings.logScale} smoothing={settings.smoothing} onZoom={onZoom} zoomReset={zoomReset} height={220} />}
      </div>
    </figure>
  );
}
