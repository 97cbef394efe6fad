"use client";

import { useMemo, useState } from "react";
import { formatValue } from "@/components/format";
import type { RunView } from "@/contracts/runs";
import { atomPaths, differs, SYS_ROWS, valueOf } from "./fields";

/** Rows are field paths, columns are runs; rows whose values differ are marked. */
export function ParamTable({ runs, colors }: { runs: RunView[]; colors: Map<string, string> }) {
  const [onlyDiff, setOnlyDiff] = useState(false);
  const [filter, setFilter] = useState("");
  const rows = useMemo(() => [...SYS_ROWS, ...atomPaths(runs)].map((path) => {
    const values = runs.map((r) => valueOf(r, path));
    return { path, values, differs: differs(values) };
  }), [runs]);
  const needle = filter.trim().toLowerCase();
  const shown = rows.filter((r) => (!onlyDiff || r.differs) && (!needle || r.path.toLowerCase().includes(needle)));
  const differing = rows.filter((r) => r.differs).length;

  return (
    <>
      <div className="row chart-controls">
        <label className="field inline"><span className="field-label">Find field</span>
          <input className="input" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="params/" />
        </label>
        <label className="check">
          <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> Only differences
        </label>
        <span className="muted small">{`${differing} of ${rows.length} fields differ`}</span>
      </div>
      <div className="table-wrap param-table-wrap">
        <table className="table param-table" aria-label="Parameters">
          <thead>
            <tr>
              <th>Field</th>
              {runs.map((r) => (
                <th key={r.id} className="mono"><span className="run-swatch" style={{ background: colors.get(r.key) }} />{r.key}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.path} className={row.differs ? "differs" : undefined} data-path={row.path} data-differs={row.differs ? "true" : "false"}>
                <th scope="row" className="mono">{row.path}</th>
                {row.values.map((v, i) => (
                  <td key={runs[i].id} className={typeof v === "number" ? "mono num" : undefined}>
                    {v === undefined ? <span className="muted">—</span> : formatValue(v)}
                  </td>
                ))}
              </tr>
            ))}
            {shown.length === 0 && <tr><td colSpan={runs.length + 1} className="muted">No fields to show.</td></tr>}
          </tbody>
        </table>
      </div>
    </>
  );
}
