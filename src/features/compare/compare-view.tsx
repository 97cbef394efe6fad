"use client";

import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { CompareRunsResult } from "@/contracts/compare";
import type { RunView } from "@/contracts/runs";
import { StateBadge } from "@/components/state-badge";
import { colorsOf } from "@/features/charts/run-colors";
import { ShareButton } from "@/features/share/share-button";
import { CompareCharts } from "./compare-charts";
import { CompareImages } from "./compare-images";
import { FieldScatter, ParallelCoordinates, type ChartRun } from "./field-charts";
import { atomPaths, axisOperands, differs, metricGroups, numeric, valueOf } from "./fields";
import { ParamTable } from "./param-table";
import { useLiveCompare } from "./use-live-compare";

const liveText = { connecting: "connecting…", live: "live", offline: "reconnecting…", denied: "no longer available" } as const;

/**
 * Runs side by side: overlaid metric charts, a parameter table, parallel coordinates and a
 * scatter of any two fields. Read-only and without editing controls under a share link.
 */
export function CompareView({ initial, canShare = false, shareToken }: { initial: CompareRunsResult; canShare?: boolean; shareToken?: string }) {
  const live = useLiveCompare(initial.runs, shareToken);
  const runs = live.runs;
  const colors = useMemo(() => colorsOf(runs.map((r) => r.key)), [runs]);
  const chartRuns: ChartRun[] = useMemo(() => runs.map((r) => ({ id: r.id, key: r.key, color: colors.get(r.key)!, value: (o: string) => valueOf(r, o) })), [runs, colors]);
  const { project } = initial;
  const base = `/${project.workspaceSlug}/${project.slug}`;
  const runHref = (key: string) => (shareToken ? `/share/${shareToken}/runs/${encodeURIComponent(key)}` : `${base}/runs/${encodeURIComponent(key)}`);
  const compareHref = (keys: string[]) => `${base}/compare?runs=${keys.map(encodeURIComponent).join(",")}`;

  return (
    <div className="compare" data-live={live.status}>
      <header className="run-head">
        <h1 className="page-title">{`Compare ${runs.length} runs`}</h1>
        <span className={`live-dot live-${live.status}`} title="live updates">{liveText[live.status]}</span>
        {canShare && !shareToken && (
          <ShareButton projectId={project.id} target={{ kind: "compare", runIds: runs.map((r) => r.id) }} what={`this comparison of ${runs.length} runs`} />
        )}
      </header>
      <ul className="compare-runs" aria-label="Compared runs">
        {runs.map((r) => (
          <li key={r.id} className="compare-run">
            <span className="run-swatch" style={{ background: colors.get(r.key) }} />
            <Link className="mono" href={runHref(r.key)}>{r.key}</Link>
            {r.name && <span className="muted">{r.name}</span>}
            <StateBadge state={r.state} />
            {!shareToken && runs.length > 2 && (
              <Link className="remove" title={`Remove ${r.key}`} aria-label={`Remove ${r.key}`} href={compareHref(runs.filter((x) => x.id !== r.id).map((x) => x.key))}>×</Link>
            )}
          </li>
        ))}
        {!shareToken && runs.length < 100 && <AddRun keys={runs.map((r) => r.key)} href={compareHref} />}
      </ul>

      <section className="section">
        <h2>Metrics</h2>
        <CompareCharts runs={runs} colors={colors} live={live} />
      </section>
      <CompareImages runs={runs} shareToken={shareToken} />
      <section className="section">
        <h2>Parameters</h2>
        <ParamTable runs={runs} colors={colors} />
      </section>
      <section className="section">
        <h2>Parallel coordinates</h2>
        <ParallelSection runs={runs} chartRuns={chartRuns} />
      </section>
      <section className="section">
        <h2>Scatter</h2>
        <ScatterSection runs={runs} chartRuns={chartRuns} />
      </section>
    </div>
  );
}

function AddRun({ keys, href }: { keys: string[]; href: (keys: string[]) => string }) {
  const router = useRouter();
  const [value, setValue] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    const more = value.split(/[\s,]+/).map((k) => k.trim()).filter(Boolean);
    if (more.length) router.push(href([...new Set([...keys, ...more])]));
  }
  return (
    <li>
      <form className="row" onSubmit={submit}>
        <input className="input input-small" aria-label="Add runs by key" placeholder="add run key" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" className="btn btn-small">Add</button>
      </form>
    </li>
  );
}

/** Params worth an axis first: those that differ, numbers before text. */
function defaultParams(runs: RunView[]): string[] {
  const paths = atomPaths(runs);
  const diff = paths.filter((p) => differs(runs.map((r) => valueOf(r, p))));
  const score = (p: string) => (runs.some((r) => numeric(valueOf(r, p)) !== null) ? 0 : 1);
  return [...(diff.length ? diff : paths)].sort((a, b) => score(a) - score(b)).slice(0, 6);
}

function ParallelSection({ runs, chartRuns }: { runs: RunView[]; chartRuns: ChartRun[] }) {
  const params = useMemo(() => atomPaths(runs), [runs]);
  const metrics = useMemo(() => metricGroups(runs).flatMap((g) => g.paths), [runs]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [metric, setMetric] = useState<string | null>(null);
  const [agg, setAgg] = useState<"last" | "min" | "max">("last");
  const selected = (chosen ?? defaultParams(runs)).filter((p) => params.includes(p));
  const metricPath = metric ?? metrics[0] ?? "";
  const dimensions = [...selected, ...(metricPath ? [`${agg}(${metricPath})`] : [])];
  const toggle = (p: string) => setChosen(selected.includes(p) ? selected.filter((x) => x !== p) : [...selected, p]);

  return (
    <div className="field-chart-panel">
      <div className="row chart-controls">
        <label className="field inline"><span className="field-label">Metric</span>
          <select className="input" aria-label="Parallel metric" value={metricPath} onChange={(e) => setMetric(e.target.value)}>
            <option value="">none</option>
            {metrics.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label className="field inline"><span className="field-label">Of the series</span>
          <select className="input" aria-label="Parallel metric summary" value={agg} onChange={(e) => setAgg(e.target.value as typeof agg)}>
            <option value="last">last</option><option value="min">min</option><option value="max">max</option>
          </select>
        </label>
      </div>
      {params.length > 0 && (
        <fieldset className="checklist" aria-label="Parallel parameters">
          {params.map((p) => (
            <label key={p} className="check mono"><input type="checkbox" checked={selected.includes(p)} onChange={() => toggle(p)} /> {p}</label>
          ))}
        </fieldset>
      )}
      {dimensions.length < 2
        ? <p className="muted">Choose at least two axes: parameters and a metric.</p>
        : <ParallelCoordinates runs={chartRuns} dimensions={dimensions} />}
    </div>
  );
}

function ScatterSection({ runs, chartRuns }: { runs: RunView[]; chartRuns: ChartRun[] }) {
  const operands = useMemo(() => axisOperands(runs), [runs]);
  const numericOps = useMemo(() => operands.filter((o) => runs.some((r) => numeric(valueOf(r, o)) !== null)), [operands, runs]);
  const [x, setX] = useState<string | null>(null);
  const [y, setY] = useState<string | null>(null);
  const params = numericOps.filter((o) => !o.includes("("));
  const summaries = numericOps.filter((o) => o.startsWith("last("));
  const xs = x ?? params[0] ?? numericOps[0] ?? "";
  const ys = y ?? summaries[0] ?? numericOps.find((o) => o !== xs) ?? "";
  if (numericOps.length === 0) return <p className="muted">No numeric fields to plot.</p>;
  return (
    <div className="field-chart-panel">
      <div className="row chart-controls">
        <label className="field inline"><span className="field-label">x</span>
          <select className="input" aria-label="Scatter x" value={xs} onChange={(e) => setX(e.target.value)}>
            {numericOps.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <label className="field inline"><span className="field-label">y</span>
          <select className="input" aria-label="Scatter y" value={ys} onChange={(e) => setY(e.target.value)}>
            {numericOps.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
      </div>
      <FieldScatter runs={chartRuns} x={xs} y={ys} />
    </div>
  );
}
