"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { FileHead, RunFile } from "@/contracts/run-media";
import { formatBytes } from "@/components/format";
import { useTRPC } from "@/trpc/client";
import { csvDelimiter, parseCsv } from "./csv";
import { chartShape, fileKind } from "./file-kind";
import { fileUrl } from "./file-url";
import { ChartFile, EChartsChart, PlotlyChart, type PlotlyFigure } from "./interactive-charts";

const CSV_ROWS = 50;

/** A file (or one entry of a file series) shown by its kind: image, table, chart, JSON or text. */
export function FilePreview({ runId, file, shareToken }: { runId: string; file: RunFile; shareToken?: string }) {
  const trpc = useTRPC();
  const [step, setStep] = useState<number | null>(null);
  const entries = useQuery({ ...trpc.runMedia.fileEntries.queryOptions({ runId, path: file.path, fromEnd: true, limit: 5000 }), enabled: file.type === "fileSeries" });
  const entry = file.type === "fileSeries" ? (entries.data?.entries.find((e) => e.step === step) ?? entries.data?.entries.at(-1) ?? null) : null;
  if (file.type === "fileSeries" && !entry) return <p className="muted">{entries.error ? entries.error.message : "Loading…"}</p>;
  const contentType = entry ? entry.contentType : file.contentType;
  const size = entry ? entry.size : file.size;
  const at = entry?.step ?? null;
  const url = fileUrl(runId, file.path, { step: at, shareToken });

  return (
    <div className="file-preview" data-path={file.path}>
      <div className="file-preview-head">
        <strong className="mono">{file.path}</strong>
        {file.type === "fileSeries" && entries.data && (
          <label>
            Step{" "}
            <select value={String(entry!.step)} onChange={(e) => setStep(Number(e.target.value))}>
              {entries.data.entries.map((e) => <option key={e.step} value={String(e.step)}>{e.step}{e.name ? ` — ${e.name}` : ""}</option>)}
            </select>
          </label>
        )}
        <span className="muted">{contentType ?? "unknown type"}, {formatBytes(size)}</span>
        <a className="btn" href={fileUrl(runId, file.path, { step: at, shareToken })} download={file.path.split("/").pop()}>Download</a>
      </div>
      {entry?.description && <p className="image-caption">{entry.description}</p>}
      <PreviewBody runId={runId} path={file.path} step={at} contentType={contentType} size={size} url={url} shareToken={shareToken} />
    </div>
  );
}

function PreviewBody(props: { runId: string; path: string; step: number | null; contentType: string | null; size: number | null; url: string; shareToken?: string }) {
  const kind = fileKind(props.path, props.contentType);
  if (kind === "image") {
    // eslint-disable-next-line @next/next/no-img-element -- run files are served by the API, not optimized assets
    return <img className="preview-image" src={props.url} alt={props.path} />;
  }
  if (kind === "video") return <video className="preview-image" src={props.url} controls preload="metadata" />;
  if (kind === "audio") return <audio src={props.url} controls preload="metadata" />;
  if (kind === "echarts" || kind === "plotly" || kind === "html") {
    return <ChartFile runId={props.runId} path={props.path} step={props.step} shareToken={props.shareToken} size={props.size} contentType={props.contentType} />;
  }
  if (kind === "other" && (props.size ?? 0) > 0 && !/^(application\/octet-stream)?$/.test(props.contentType ?? "")) {
    return <p className="muted">No preview for {props.contentType}; download the file to open it.</p>;
  }
  return <TextualPreview {...props} kind={kind} />;
}

const HEAD_BYTES = 64 * 1024;
const MORE_BYTES = 4 * 1024 * 1024;

function TextualPreview({ runId, path, step, contentType, kind }: { runId: string; path: string; step: number | null; contentType: string | null; kind: string }) {
  const trpc = useTRPC();
  const [maxBytes, setMaxBytes] = useState(HEAD_BYTES);
  const head = useQuery({
    ...trpc.runMedia.fileHead.queryOptions({ runId, path, maxBytes, ...(step === null ? {} : { step }) }),
    placeholderData: (prev) => prev,
  });
  if (head.error) return <p className="error-text" role="alert">{head.error.message}</p>;
  if (!head.data) return <p className="muted">Loading preview…</p>;
  if (head.data.text === null) return <p className="muted">Binary file; download it to open it.</p>;
  // A text cut at 64 KiB can be read further, up to 4 MiB, without downloading it.
  const more = head.data.truncated && maxBytes < MORE_BYTES ? () => setMaxBytes(MORE_BYTES) : undefined;
  if (kind === "csv") return <CsvTable head={head.data} delimiter={csvDelimiter(path, contentType)} />;
  if (kind === "json") return <JsonPreview head={head.data} onMore={more} />;
  return <TextBlock head={head.data} onMore={more} />;
}

function TruncatedNote({ head, onMore }: { head: FileHead; onMore?: () => void }) {
  if (!head.truncated) return null;
  return (
    <p className="muted">
      Showing the first {formatBytes(new TextEncoder().encode(head.text ?? "").length)} of {formatBytes(head.size)}.{" "}
      {onMore && <button className="link-button" onClick={onMore}>Show up to 4 MiB</button>}
    </p>
  );
}

export function TextBlock({ head, onMore }: { head: FileHead; onMore?: () => void }) {
  return (
    <>
      <pre className="file-text">{head.text}</pre>
      <TruncatedNote head={head} onMore={onMore} />
    </>
  );
}

function CsvTable({ head, delimiter }: { head: FileHead; delimiter: string }) {
  const rows = useMemo(
    () => parseCsv(head.text ?? "", { delimiter, maxRows: CSV_ROWS + 1, complete: !head.truncated }).filter((r) => !(r.length === 1 && r[0] === "")),
    [head, delimiter],
  );
  if (rows.length === 0) return <p className="muted">Empty file.</p>;
  const [columns, ...body] = rows;
  const width = Math.max(columns.length, ...body.map((r) => r.length));
  return (
    <div className="table-wrap csv-preview">
      <table className="table">
        <thead><tr>{Array.from({ length: width }, (_, i) => <th key={i}>{columns[i] ?? ""}</th>)}</tr></thead>
        <tbody>
          {body.map((r, i) => <tr key={i}>{Array.from({ length: width }, (_, j) => <td key={j} className="mono">{r[j] ?? ""}</td>)}</tr>)}
        </tbody>
      </table>
      <p className="muted">
        {body.length < CSV_ROWS && !head.truncated ? `${body.length} rows.` : `The first ${body.length} rows.`}
      </p>
    </div>
  );
}

function JsonPreview({ head, onMore }: { head: FileHead; onMore?: () => void }) {
  const parsed = useMemo(() => {
    if (head.truncated) return null;
    try {
      return { value: JSON.parse(head.text ?? "") as unknown };
    } catch {
      return null;
    }
  }, [head]);
  const [asChart, setAsChart] = useState(true);
  if (!parsed) return <TextBlock head={head} onMore={onMore} />;
  const shape = chartShape(parsed.value);
  return (
    <>
      {shape && (
        <p>
          <button className="btn" onClick={() => setAsChart((v) => !v)}>{asChart ? "Show JSON" : `Show as ${shape === "plotly" ? "Plotly" : "ECharts"} chart`}</button>
        </p>
      )}
      {shape && asChart
        ? shape === "plotly" ? <PlotlyChart figure={parsed.value as PlotlyFigure} /> : <EChartsChart option={parsed.value as Record<string, unknown>} />
        : <pre className="file-text json-pretty">{JSON.stringify(parsed.value, null, 2)}</pre>}
    </>
  );
}
