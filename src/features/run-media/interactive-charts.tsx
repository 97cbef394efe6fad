"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { RunFile } from "@/contracts/run-media";
import { useTRPC } from "@/trpc/client";
import { chartShape, fileKind } from "./file-kind";
import { fileUrl } from "./file-url";
import { SandboxFrame } from "./sandbox-frame";

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
 * An ECharts option as logged, drawn by the full ECharts build inside the sandbox frame: an
 * option's formatters, rich text, links and graphics are HTML that ECharts writes into
 * innerHTML, so it never runs in Cairn's own DOM.
 */
export function EChartsChart({ option }: { option: Record<string, unknown> }) {
  const content = useMemo(() => ({ kind: "echarts" as const, json: option }), [option]);
  return <SandboxFrame content={content} title="ECharts chart" className="media-chart" chart="echarts" />;
}

export type PlotlyFigure = { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown>; frames?: unknown[] };

/** A Plotly figure drawn by Plotly itself in the sandbox frame (hover templates, titles and annotations are HTML). */
export function PlotlyChart({ figure }: { figure: PlotlyFigure }) {
  const content = useMemo(() => ({ kind: "plotly" as const, json: figure }), [figure]);
  return <SandboxFrame content={content} title="Plotly chart" className="media-chart" chart="plotly" />;
}

/**
 * An HTML file, in the sandbox frame for HTML: its inline scripts run, with an opaque origin
 * (no cookies, storage or pages of Cairn) and nothing loaded from elsewhere. The bytes go in by
 * postMessage, because the download's own `Content-Security-Policy: sandbox` would stop its
 * scripts.
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
  const content = useMemo(() => (html && "text" in html ? { kind: "html" as const, html: html.text } : null), [html]);
  if (!html) return <p className="muted">Loading…</p>;
  if ("error" in html) return <p className="error-text" role="alert">{html.error}</p>;
  return <SandboxFrame content={content!} title={path} className="media-html" />;
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
