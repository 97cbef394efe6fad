"use client";

import type { ReactNode } from "react";
import type { RunView } from "@/contracts/runs";
import { formatBytes, formatUtc, formatValue } from "@/components/format";
import { StateBadge } from "@/components/state-badge";
import { TimeAgo } from "@/components/time-ago";
import { useLiveRun, type LiveStatus } from "./use-live-run";

const statusText: Record<LiveStatus, string> = {
  connecting: "connecting…",
  live: "live",
  offline: "reconnecting…",
  denied: "no longer available",
};

/** A run's header, fields, series and files, kept current over its socket room. */
export function RunDetails({ initial, now, shareToken, actions }: { initial: RunView; now: number; shareToken?: string; actions?: ReactNode }) {
  const { run, status } = useLiveRun(initial, shareToken);
  const sys = run.fields;
  const atoms = Object.entries(run.fields).filter(([path]) => !path.startsWith("sys/"));
  const series = Object.entries(run.series);
  const files = Object.entries(run.files);

  return (
    <div data-live={status}>
      <header className="run-head">
        <h1 className="page-title">
          <span className="mono run-key">{run.key}</span>
          {run.name && <span className="run-name">{run.name}</span>}
        </h1>
        <StateBadge state={run.state} />
        <span className={`live-dot live-${status}`} title="live updates">{statusText[status]}</span>
        {actions}
      </header>
      {run.description && <p className="description">{run.description}</p>}

      <dl className="facts">
        <Fact label="Created"><Moment iso={sys["sys/creation_time"]} now={now} /></Fact>
        <Fact label="Modified"><Moment iso={sys["sys/modification_time"]} now={now} /></Fact>
        {run.state !== "running" && <Fact label="Finished"><Moment iso={sys["sys/finished_time"]} now={now} /></Fact>}
        <Fact label="Owner">{formatValue(sys["sys/owner"])}</Fact>
        {sys["sys/custom_id"] != null && <Fact label="Custom id"><span className="mono">{formatValue(sys["sys/custom_id"])}</span></Fact>}
        <Fact label="Tags">
          {run.tags.length === 0
            ? <span className="muted">none</span>
            : <span className="tags">{run.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</span>}
        </Fact>
      </dl>

      <section className="section">
        <h2>Parameters and fields</h2>
        {atoms.length === 0 ? <p className="muted">No fields logged.</p> : <AtomTable atoms={atoms} />}
      </section>

      <section className="section">
        <h2>Series</h2>
        {series.length === 0 ? <p className="muted">No series logged.</p> : <SeriesTable series={series} />}
      </section>

      {files.length > 0 && (
        <section className="section">
          <h2>Files</h2>
          <FileTable files={files} />
        </section>
      )}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <div className="fact"><dt>{label}</dt><dd>{children}</dd></div>;
}

function Moment({ iso, now }: { iso: RunView["fields"][string]; now: number }) {
  if (typeof iso !== "string") return <span className="muted">—</span>;
  return <><TimeAgo iso={iso} now={now} /><span className="sub muted">{formatUtc(iso)}</span></>;
}

function AtomTable({ atoms }: { atoms: [string, RunView["fields"][string]][] }) {
  return (
    <table className="table fields">
      <thead><tr><th>Path</th><th>Value</th></tr></thead>
      <tbody>
        {atoms.map(([path, value]) => (
          <tr key={path}>
            <td className="mono">{path}</td>
            <td className={typeof value === "number" ? "mono" : undefined}>{formatValue(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SeriesTable({ series }: { series: [string, RunView["series"][string]][] }) {
  return (
    <table className="table series">
      <thead>
        <tr><th>Path</th><th className="num">Points</th><th className="num">Last step</th><th className="num">Last</th><th className="num">Min</th><th className="num">Max</th></tr>
      </thead>
      <tbody>
        {series.map(([path, s]) => (
          <tr key={path}>
            <td className="mono">{path}{s.type === "stringSeries" && <span className="muted"> (text)</span>}</td>
            <td className="mono num">{s.count}</td>
            <td className="mono num">{formatValue(s.lastStep)}</td>
            <td className={s.type === "floatSeries" ? "mono num" : "text-cell"}>{formatValue(s.last)}</td>
            <td className="mono num">{formatValue(s.min)}</td>
            <td className="mono num">{formatValue(s.max)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FileTable({ files }: { files: [string, RunView["files"][string]][] }) {
  return (
    <table className="table files">
      <thead><tr><th>Path</th><th>Kind</th><th className="num">Size</th><th>Content type</th></tr></thead>
      <tbody>
        {files.map(([path, f]) => (
          <tr key={path}>
            <td className="mono">{path}</td>
            <td>{f.type === "fileSeries" ? `series of ${f.count ?? 0}` : "file"}</td>
            <td className="mono num">{formatBytes(f.size)}</td>
            <td className="mono">{f.contentType ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
