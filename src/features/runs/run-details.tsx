"use client";

import { useEffect, useState, type ReactNode } from "react";
import type { RunView } from "@/contracts/runs";
import { formatUtc, formatValue } from "@/components/format";
import { StateBadge } from "@/components/state-badge";
import { TimeAgo } from "@/components/time-ago";
import { RunMedia } from "@/features/run-media/run-media";
import { TRPCReactProvider } from "@/trpc/client";
import { FieldTree } from "./field-tree";
import { ChartControls, ChartGroups, type ChartSettings } from "./run-charts";
import { applyUpdate, Fact, RunName, RunNotes, TagEditor } from "./run-header";
import { useLiveRun, type LiveStatus } from "./use-live-run";

const statusText: Record<LiveStatus, string> = {
  connecting: "connecting…",
  live: "live",
  offline: "reconnecting…",
  denied: "no longer available",
};

const SETTINGS_KEY = "cairn.run-charts";
const defaultSettings: ChartSettings = { xAxis: "step", smoothing: 0, logScale: false };

/**
 * A run's page body: header with editable name, tags and notes (contributors), charts of its
 * float series and of monitoring/, the whole field tree, series summaries and media; all kept
 * current over the run's socket room. `shareToken` makes every read act as that share link.
 */
export function RunDetails(props: { initial: RunView; now: number; shareToken?: string; actions?: ReactNode; canEdit?: boolean }) {
  // Pages opened through a share link send its token with every tRPC call.
  if (props.shareToken) return <TRPCReactProvider shareToken={props.shareToken}><RunBody {...props} canEdit={false} /></TRPCReactProvider>;
  return <RunBody {...props} />;
}

function RunBody({ initial, now, shareToken, actions, canEdit = false }: { initial: RunView; now: number; shareToken?: string; actions?: ReactNode; canEdit?: boolean }) {
  const { run, status, onPoints, patch } = useLiveRun(initial, shareToken);
  const [settings, setSettings] = useState<ChartSettings>(defaultSettings);
  const sys = run.fields;
  const series = Object.entries(run.series);
  const onSaved = (r: Parameters<typeof applyUpdate>[1]) => patch((current) => applyUpdate(current, r));

  // Chart settings follow the reader from run to run (per browser).
  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "null") as Partial<ChartSettings> | null;
      if (saved) setSettings((s) => ({ ...s, ...saved }));
    } catch { /* a broken entry is ignored */ }
  }, []);
  const changeSettings = (s: ChartSettings) => {
    setSettings(s);
    try { localStorage.setItem(SETTINGS_KEY, JSON.stringify(s)); } catch { /* storage may be off */ }
  };
  const hasMonitoring = series.some(([path, s]) => path.startsWith("monitoring/") && s.type === "floatSeries");

  return (
    <div data-live={status} className="run-page">
      <header className="run-head">
        <h1 className="page-title">
          <span className="mono run-key">{run.key}</span>
          <RunName run={run} canEdit={canEdit} onSaved={onSaved} />
        </h1>
        <StateBadge state={run.state} />
        <span className={`live-dot live-${status}`} title="live updates">{statusText[status]}</span>
        {actions}
      </header>

      <dl className="facts">
        <Fact label="Created"><Moment iso={sys["sys/creation_time"]} now={now} /></Fact>
        <Fact label="Modified"><Moment iso={sys["sys/modification_time"]} now={now} /></Fact>
        {run.state !== "running" && <Fact label="Finished"><Moment iso={sys["sys/finished_time"]} now={now} /></Fact>}
        <Fact label="Owner">{formatValue(sys["sys/owner"])}</Fact>
        {sys["sys/custom_id"] != null && <Fact label="Custom id"><span className="mono">{formatValue(sys["sys/custom_id"])}</span></Fact>}
        <Fact label="Tags"><TagEditor run={run} canEdit={canEdit} onSaved={onSaved} /></Fact>
      </dl>

      <RunNotes key={run.id} run={run} canEdit={canEdit} onSaved={onSaved} />

      <section className="section run-charts" aria-label="Charts">
        <div className="section-head">
          <h2>Charts</h2>
          <ChartControls settings={settings} onChange={changeSettings} />
        </div>
        <ChartGroups run={run} settings={settings} subscribe={onPoints} />
      </section>

      {hasMonitoring && (
        <section className="section run-monitoring" aria-label="Monitoring">
          <h2>Monitoring</h2>
          <ChartGroups run={run} settings={settings} subscribe={onPoints} monitoring />
        </section>
      )}

      <section className="section">
        <h2>Fields</h2>
        <FieldTree run={run} />
      </section>

      <section className="section">
        <h2>Series</h2>
        {series.length === 0 ? <p className="muted">No series logged.</p> : <SeriesTable series={series} />}
      </section>

      <RunMedia run={run} shareToken={shareToken} />
    </div>
  );
}

function Moment({ iso, now }: { iso: RunView["fields"][string]; now: number }) {
  if (typeof iso !== "string") return <span className="muted">—</span>;
  return <><TimeAgo iso={iso} now={now} /><span className="sub muted">{formatUtc(iso)}</span></>;
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
