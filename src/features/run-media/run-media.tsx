"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { RunView } from "@/contracts/runs";
import type { RunFile } from "@/contracts/run-media";
import { useTRPC } from "@/trpc/client";
import { Console } from "./console";
import { FileBrowser } from "./file-browser";
import { isChartFile } from "./file-kind";
import { ImageGallery } from "./image-gallery";
import { ChartFile, ChartSeries } from "./interactive-charts";
import { SourceCode } from "./source-code";
import { useMediaLive } from "./use-media-live";

/** The run page's media sections: console, images, interactive charts, source code, files. */
export function RunMedia({ run, shareToken }: { run: RunView; shareToken?: string }) {
  const trpc = useTRPC();
  const live = useMediaLive(run.id, shareToken);
  const filesQuery = useQuery(trpc.runMedia.files.queryOptions({ runId: run.id }));
  const { refetch } = filesQuery;
  // Uploads announce themselves with run.updated: refresh the list then (and after reconnects).
  useEffect(() => {
    if (live.fileChanges > 0) void refetch();
  }, [live.fileChanges, refetch]);

  // String series known from the run and from live events (a new log appears without reload).
  const [seenSeries, setSeenSeries] = useState<string[]>([]);
  useEffect(() => live.onPoints((e) => {
    const fresh = Object.entries(e.series).filter(([, s]) => s.summary.type === "stringSeries").map(([p]) => p);
    if (fresh.length) setSeenSeries((seen) => (fresh.every((p) => seen.includes(p)) ? seen : [...new Set([...seen, ...fresh])]));
  }), [live.onPoints]);
  const textSeries = useMemo(() => {
    const fromRun = Object.entries(run.series).filter(([, s]) => s.type === "stringSeries").map(([p]) => p);
    return [...new Set([...fromRun, ...seenSeries])].sort(consoleOrder);
  }, [run.series, seenSeries]);

  const files: RunFile[] = filesQuery.data?.files ?? [];
  const imageSeries = files.filter((f) => f.type === "fileSeries" && (f.contentType ?? "").startsWith("image/"));
  const charts = files.filter((f) => isChartFile(f.path, f.contentType));
  const hasSource = files.some((f) => f.path.startsWith("source_code/")) || Object.keys(run.fields).some((p) => p.startsWith("source_code/"));

  return (
    <div className="run-media" data-live={live.status}>
      {textSeries.length > 0 && (
        <section className="section" aria-labelledby="media-console">
          <h2 id="media-console">Console</h2>
          <Console runId={run.id} paths={textSeries} live={live} />
        </section>
      )}

      {imageSeries.length > 0 && (
        <section className="section" aria-labelledby="media-images">
          <h2 id="media-images">Images</h2>
          {imageSeries.map((f) => (
            <div key={f.path} className="media-block">
              <h3 className="mono">{f.path}</h3>
              <ImageGallery runId={run.id} file={f} shareToken={shareToken} />
            </div>
          ))}
        </section>
      )}

      {charts.length > 0 && (
        <section className="section" aria-labelledby="media-charts">
          <h2 id="media-charts">Interactive charts</h2>
          {charts.map((f) => (
            <div key={f.path} className="media-block" data-path={f.path}>
              <h3 className="mono">{f.path}</h3>
              {f.type === "fileSeries"
                ? <ChartSeries runId={run.id} file={f} shareToken={shareToken} />
                : <ChartFile runId={run.id} path={f.path} shareToken={shareToken} size={f.size} contentType={f.contentType} />}
            </div>
          ))}
        </section>
      )}

      {hasSource && (
        <section className="section" aria-labelledby="media-source">
          <h2 id="media-source">Source code</h2>
          <SourceCode runId={run.id} fields={run.fields} files={files} shareToken={shareToken} />
        </section>
      )}

      <section className="section" aria-labelledby="media-files">
        <h2 id="media-files">Files</h2>
        {filesQuery.error ? <p className="error-text" role="alert">{filesQuery.error.message}</p>
          : !filesQuery.data ? <p className="muted">Loading files…</p>
          : files.length === 0 ? <p className="muted">No files uploaded.</p>
          : <FileBrowser runId={run.id} files={files} shareToken={shareToken} />}
      </section>
    </div>
  );
}

/** stdout, then stderr, then the rest by path. */
function consoleOrder(a: string, b: string): number {
  const rank = (p: string) => (p === "stdout" ? 0 : p === "stderr" ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}
