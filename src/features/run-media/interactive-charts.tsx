"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { RunFile } from "@/contracts/run-media";
import { useTRPC } from "@/trpc/client";
import { chartShape, fileKind } from "./file-kind";
import { fileUrl } from "./file-url";

const MAX_CHART_BYTES = 32 * 1024 * 1024;
const MAX_HTML_BYTES = 32 * 1024 * 1024;

type Source = { runId: string; path: string; step?: number | null; shareToken?: string; size: number | null };

async function fetchFile(src: Source, limit: number): Promise<Response> {
  if (src.size !== null && src.size > limit) throw new Error(`too large to show here (${src.size} bytes); download it instead`);
  const res = await fetch(fileUrl(src.runId, src.path, { step: src.step, shareToken: src.shareToken }), { credentials: "same-origin" });
  if (!res.ok) throw new Error(`could not load ${src.path} (${res.status})`);
  return res;
}

/** A logged chart file (ECharts option, Plotly figure or HTML) rendered interactively. */
export function ChartFile(props: Source & { contentType: string | null }) {
  const kind = fileKind(props.path, props.contentType);
  if (kind === "html") return <HtmlFile {...props} />;
  return <JsonChartFile {...props} expected={kind === "plotly" ? "plotly" : kind === "echarts" ? "echarts" : null} />;
}

function JsonChartFile(props: Source & { expected: "echarts" | "plotly" | null }) {
  const [state, setState] = useState<{ value: unknown } | { error: string } | null>(null);
  const { runId, path, step, shareToken, size } = props;
  useEffect(() => {
    let cancelled = false;
    setState(null);
    fetchFile({ runId, path, step, shareToken, size }, MAX_CHART_BYTES)
      .then((res) => res.json())
      .then((value) => !cancelled && setState({ value }), (e: Error) => !cancelled && setState({ error: e.message }));
    return () => {
      cancelled = true;
    };
  }, [runId, path, step, shareToken, size]);
  if (!state) return <p className="muted">Loading chart…</p>;
  if ("error" in state) return <p className="error-text" role="alert">{state.error}</p>;
  const shape = props.expected ?? chartShape(state.value);
  if (shape === "plotly") return <PlotlyChart figure={state.value as PlotlyFigure} />;
  if (shape === "echarts") return <EChartsChart option={state.value as Record<string, unknown>} />;
  return <p className="error-text" role="alert">This JSON is neither an ECharts option nor a Plotly figure.</p>;
}

/**
 * An ECharts option as logged. It may use any chart type, so this loads the full ECharts
 * build, lazily: the page's own charts keep their small echarts/core chunk.
 */
export function EChartsChart({ option }: { option: Record<string, unknown> }) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: unknown): void; resize(): void; dispose(): void } | null = null;
    let observer: ResizeObserver | null = null;
    void import("echarts").then((echarts) => {
      if (disposed || !el.current) return;
      try {
        const dark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
        chart = echarts.init(el.current, dark ? "dark" : undefined, { renderer: "canvas" });
        chart.setOption({ backgroundColor: "transparent", ...option });
        observer = new ResizeObserver(() => chart?.resize());
        observer.observe(el.current);
      } catch (e) {
        setError(`ECharts could not draw this option: ${(e as Error).message}`);
      }
    }, (e: Error) => setError(e.message));
    return () => {
      disposed = true;
      observer?.disconnect();
      chart?.dispose();
    };
  }, [option]);
  return (
    <>
      {error && <p className="error-text" role="alert">{error}</p>}
      <div ref={el} className="media-chart" data-chart="echarts" />
    </>
  );
}

export type PlotlyFigure = { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown>; frames?: unknown[] };

/** A Plotly figure drawn by Plotly itself (about 1.4 MB, loaded only when a figure is shown). */
export function PlotlyChart({ figure }: { figure: PlotlyFigure }) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let disposed = false;
    let node: HTMLElement | null = null;
    let plotly: typeof import("plotly.js-dist-min").default | null = null;
    let observer: ResizeObserver | null = null;
    void import("plotly.js-dist-min").then(async (mod) => {
      if (disposed || !el.current) return;
      plotly = mod.default;
      node = el.current;
      try {
        const layout = { autosize: true, ...figure.layout };
        await plotly.newPlot(node, figure.data, layout, { responsive: true, displaylogo: false, ...figure.config });
        observer = new ResizeObserver(() => node && plotly?.Plots.resize(node));
        observer.observe(node);
      } catch (e) {
        setError(`Plotly could not draw this figure: ${(e as Error).message}`);
      }
    }, (e: Error) => setError(e.message));
    return () => {
      disposed = true;
      observer?.disconnect();
      if (node && plotly) plotly.purge(node);
    };
  }, [figure]);
  return (
    <>
      {error && <p className="error-text" role="alert">{error}</p>}
      <div ref={el} className="media-chart" data-chart="plotly" />
    </>
  );
}

/**
 * An HTML file in a frame that may run its scripts but has an opaque origin (no
 * allow-same-origin): it cannot read Cairn's cookies, storage or pages. The bytes come through
 * srcdoc, because the download's own `Content-Security-Policy: sandbox` would stop its scripts.
 */
function HtmlFile(props: Source) {
  const [html, setHtml] = useState<{ text: string } | { error: string } | null>(null);
  const { runId, path, step, shareToken, size } = props;
  useEffect(() => {
    let cancelled = false;
    setHtml(null);
    fetchFile({ runId, path, step, shareToken, size }, MAX_HTML_BYTES)
      .then((res) => res.text())
      .then((text) => !cancelled && setHtml({ text }), (e: Error) => !cancelled && setHtml({ error: e.message }));
    return () => {
      cancelled = true;
    };
  }, [runId, path, step, shareToken, size]);
  if (!html) return <p className="muted">Loading…</p>;
  if ("error" in html) return <p className="error-text" role="alert">{html.error}</p>;
  return <iframe className="media-html" title={path} sandbox="allow-scripts" srcDoc={html.text} referrerPolicy="no-referrer" />;
}

/** A chart logged as a file series (one per epoch, say): the latest entry, or a chosen step. */
export function ChartSeries({ runId, file, shareToken }: { runId: string; file: RunFile; shareToken?: string }) {
  const trpc = useTRPC();
  const entries = useQuery(trpc.runMedia.fileEntries.queryOptions({ runId, path: file.path, fromEnd: true, limit: 5000 }));
  const { refetch } = entries;
  const seen = useRef(file.lastStep);
  useEffect(() => {
    if (seen.current === file.lastStep) return;
    seen.current = file.lastStep;
    void refetch();
  }, [file.lastStep, refetch]);
  const [step, setStep] = useState<number | null>(null);
  const list = entries.data?.entries ?? [];
  const entry = list.find((e) => e.step === step) ?? list.at(-1);
  if (entries.error) return <p className="error-text" role="alert">{entries.error.message}</p>;
  if (!entry) return <p className="muted">Loading…</p>;
  return (
    <>
      {list.length > 1 && (
        <label className="chart-step">
          Step{" "}
          <select value={step === null ? "" : String(entry.step)} onChange={(e) => setStep(e.target.value === "" ? null : Number(e.target.value))} aria-label={`Step of ${file.path}`}>
            <option value="">latest ({list.at(-1)!.step})</option>
            {list.map((e) => <option key={e.step} value={String(e.step)}>{e.step}{e.name ? ` — ${e.name}` : ""}</option>)}
          </select>
        </label>
      )}
      <div data-step={entry.step}>
        <ChartFile runId={runId} path={file.path} step={entry.step} shareToken={shareToken} size={entry.size} contentType={entry.contentType} />
      </div>
    </>
  );
}
