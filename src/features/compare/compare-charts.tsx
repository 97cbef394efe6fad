"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { CompareSeriesResult } from "@/contracts/compare";
import type { RunView } from "@/contracts/runs";
import { MetricChart, type ChartLine } from "@/features/charts/metric-chart";
import { useTRPC } from "@/trpc/client";
import { metricGroups } from "./fields";
import type { LiveCompare } from "./use-live-compare";

/** About two points per pixel of a chart a third of the page wide. */
const MAX_POINTS = 800;

type Settings = { logScale: boolean; smoothing: number };

/** One overlaid chart per float series of any run, grouped by namespace; live while runs log. */
export function CompareCharts({ runs, colors, live }: { runs: RunView[]; colors: Map<string, string>; live: LiveCompare }) {
  const groups = useMemo(() => metricGroups(runs), [runs]);
  const [settings, setSettings] = useState<Settings>({ logScale: false, smoothing: 0 });
  const [filter, setFilter] = useState("");
  const shown = groups
    .map((g) => ({ ...g, paths: g.paths.filter((p) => p.toLowerCase().includes(filter.trim().toLowerCase())) }))
    .filter((g) => g.paths.length > 0);

  if (groups.length === 0) return <p className="muted">None of these runs has a float series yet.</p>;
  return (
    <>
      <div className="chart-controls row">
        <label className="field inline"><span className="field-label">Find metric</span>
          <input className="input" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="train/loss" />
        </label>
        <label className="check"><input type="checkbox" checked={settings.logScale} onChange={(e) => setSettings({ ...settings, logScale: e.target.checked })} /> Log scale</label>
        <label className="field inline"><span className="field-label">{`Smoothing ${settings.smoothing.toFixed(2)}`}</span>
          <input type="range" min={0} max={0.99} step={0.01} value={settings.smoothing} onChange={(e) => setSettings({ ...settings, smoothing: Number(e.target.value) })} />
        </label>
      </div>
      {shown.map((g) => (
        <section key={g.namespace || "(root)"} className="chart-group">
          <h3 className="mono">{g.namespace || "(top level)"}</h3>
          <div className="chart-grid">
            {g.paths.map((path) => <MetricPanel key={path} path={path} runs={runs} colors={colors} live={live} settings={settings} />)}
          </div>
        </section>
      ))}
    </>
  );
}

function MetricPanel({ path, runs, colors, live, settings }: {
  path: string; runs: RunView[]; colors: Map<string, string>; live: LiveCompare; settings: Settings;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [zoom, setZoom] = useState<{ from: number; to: number } | null>(null);
  // Only runs that have the series are asked for; a run that starts logging it joins the chart.
  const runIds = runs.filter((r) => r.series[path]?.type === "floatSeries").map((r) => r.id);
  const input = {
    runIds, paths: [path], maxPoints: MAX_POINTS,
    ...(zoom ? { fromStep: zoom.from, toStep: zoom.to } : {}),
  };
  const [figure, seen] = useSeen();
  const options = trpc.compare.series.queryOptions(input, { enabled: seen && runIds.length > 0, placeholderData: (prev) => prev });
  const query = useQuery(options);
  const queryKey = options.queryKey;

  // New points of this series extend the lines in the cache; a zoomed window stays as read.
  useEffect(() => live.onPoints((e) => {
    const s = e.series[path];
    if (!s || zoom || !runIds.includes(e.runId)) return;
    if (s.truncated) {
      void queryClient.invalidateQueries({ queryKey });
      return;
    }
    queryClient.setQueryData(queryKey, (old: CompareSeriesResult | undefined) => {
      if (!old) return old;
      return {
        series: old.series.map((line) => {
          if (line.runId !== e.runId || line.path !== path) return line;
          const points = line.points ?? [];
          const lastX = points.length ? points[points.length - 1].x : -Infinity;
          const fresh = s.points.filter((p) => p.step > lastX).map((p) => ({ x: p.step, y: Number(p.value) }));
          return fresh.length ? { ...line, points: [...points, ...fresh] } : line;
        }),
      };
    });
  }), [live, path, zoom, runIds.join(","), queryClient, JSON.stringify(queryKey)]); // eslint-disable-line react-hooks/exhaustive-deps

  const byId = new Map(runs.map((r) => [r.id, r]));
  const lines: ChartLine[] = (query.data?.series ?? [])
    .filter((s) => s.points && byId.has(s.runId))
    .map((s) => {
      const run = byId.get(s.runId)!;
      return { id: run.id, label: run.key, color: colors.get(run.key) ?? "#888", points: s.points! };
    });

  return (
    <figure ref={figure} className="chart-card" data-metric={path}>
      <figcaption className="mono">
        {path}
        {zoom && <button type="button" className="btn btn-small" onClick={() => setZoom(null)}>Reset zoom</button>}
        {query.isFetching && <span className="muted small"> loading…</span>}
      </figcaption>
      {query.error ? <p className="error-text" role="alert">{query.error.message}</p> : (
        <MetricChart
          title={path} lines={lines} xAxis="step" logScale={settings.logScale} smoothing={settings.smoothing}
          onZoom={(from, to) => setZoom(Number.isFinite(from) && Number.isFinite(to) ? { from: Math.floor(from), to: Math.ceil(to) } : null)}
        />
      )}
    </figure>
  );
}

/**
 * Whether the element has come near the viewport yet: charts further down read their series
 * only when scrolled to, so a comparison with many metrics starts with a few reads.
 */
function useSeen(): [RefObject<HTMLElement | null>, boolean] {
  const ref = useRef<HTMLElement | null>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const node = ref.current;
    if (seen || !node) return;
    if (typeof IntersectionObserver === "undefined") {
      setSeen(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    }, { rootMargin: "400px 0px" });
    observer.observe(node);
    return () => observer.disconnect();
  }, [seen]);
  return [ref, seen];
}
