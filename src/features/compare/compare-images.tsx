"use client";

import { useMemo, useState } from "react";
import type { RunView } from "@/contracts/runs";
import { ImageCompare } from "@/features/run-media/image-compare";

/** Image file series of any of the runs: one chosen series, the same step side by side. */
export function CompareImages({ runs, shareToken }: { runs: RunView[]; shareToken?: string }) {
  const series = useMemo(() => {
    const out = new Map<string, number>();
    for (const run of runs) {
      for (const [path, f] of Object.entries(run.files)) {
        if (f.type !== "fileSeries" || !(f.contentType ?? "").startsWith("image/")) continue;
        out.set(path, Math.max(out.get(path) ?? 0, f.lastStep ?? 0));
      }
    }
    return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [runs]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [step, setStep] = useState<number | null>(null);
  if (series.length === 0) return null;
  const path = chosen && series.some(([p]) => p === chosen) ? chosen : series[0][0];
  const maxStep = series.find(([p]) => p === path)![1];
  const at = Math.min(step ?? maxStep, maxStep);
  return (
    <section className="section">
      <h2>Images</h2>
      <div className="row chart-controls">
        <label className="field inline"><span className="field-label">Image series</span>
          <select className="input" aria-label="Image series" value={path} onChange={(e) => setChosen(e.target.value)}>
            {series.map(([p]) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="field inline"><span className="field-label">{`Step ${at}`}</span>
          <input type="range" aria-label="Image step" min={0} max={maxStep} value={at} onChange={(e) => setStep(Number(e.target.value))} />
        </label>
      </div>
      <ImageCompare runIds={runs.map((r) => r.id)} path={path} step={at} shareToken={shareToken} />
    </section>
  );
}
