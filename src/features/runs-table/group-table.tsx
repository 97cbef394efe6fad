"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RunTableView } from "@/contracts/run-table";
import { useTRPC } from "@/trpc/client";
import { cellText } from "./cells";
import { andFilter, queryErrorAt } from "./suggest";

/**
 * Runs grouped by one atom: each value with its run count and the min/mean/max of the chosen
 * numeric columns, for the runs the filter matches. A group opens as the table filtered to it.
 */
export function GroupTable({ workspace, project, view, onOpenGroup }: {
  workspace: string; project: string; view: RunTableView; onOpenGroup: (filter: string) => void;
}) {
  const trpc = useTRPC();
  const groups = useQuery({
    ...trpc.runsTable.groups.queryOptions({
      workspace, project, by: view.groupBy!, aggregates: view.aggregates,
      ...(view.filter.trim() ? { query: view.filter.trim() } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const error = groups.error && !queryErrorAt(groups.error.message) ? groups.error.message : null;
  if (groups.isLoading) return <p className="muted">Grouping runs…</p>;
  if (error) return <p className="error-text" role="alert">{error}</p>;
  const data = groups.data;
  if (!data) return null;
  return (
    <div className="table-wrap rt-groups">
      <table className="table" aria-label={`Runs grouped by ${view.groupBy}`} aria-busy={groups.isPlaceholderData}>
        <thead>
          <tr>
            <th>{view.groupBy}</th>
            <th className="num">Runs</th>
            {view.aggregates.map((a) => <th key={a} className="num" colSpan={3}>{a} <span className="muted">min · mean · max</span></th>)}
            <th />
          </tr>
        </thead>
        <tbody>
          {data.groups.map((g) => (
            <tr key={`${g.type}:${String(g.value)}`} data-group={g.value === null ? "" : String(g.value)}>
              <td className="mono">{g.value === null ? <span className="muted">(none)</span> : cellText(view.groupBy!, g.value)}</td>
              <td className="num">{g.count}</td>
              {view.aggregates.map((a) => {
                const agg = g.aggregates[a];
                return ["min", "mean", "max"].map((k) => (
                  <td key={`${a}:${k}`} className="num" data-aggregate={`${k}(${a})`}>{cellText(a, agg?.[k as "min"] ?? null) || <span className="muted">—</span>}</td>
                ));
              })}
              <td><button type="button" className="btn btn-small" onClick={() => onOpenGroup(andFilter(view.filter, g.filter))}>Show runs</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{data.total} runs in {data.groups.length} group{data.groups.length === 1 ? "" : "s"}{data.truncated ? " (the largest shown)" : ""}</p>
    </div>
  );
}
