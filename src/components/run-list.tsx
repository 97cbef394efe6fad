import Link from "next/link";
import type { RunState } from "@/contracts/runs";
import { StateBadge } from "./state-badge";
import { TimeAgo } from "./time-ago";

export type RunListRow = { key: string; name: string; state: RunState; createdAt: string; href: string };

/** A compact table of runs: key, name, state and when each was created. */
export function RunList({ runs, now }: { runs: RunListRow[]; now: number }) {
  return (
    <table className="table runs">
      <thead>
        <tr><th className="col-key">Run</th><th>Name</th><th className="col-state">State</th><th className="col-time">Created</th></tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.key}>
            <td className="col-key"><Link href={run.href} className="mono">{run.key}</Link></td>
            <td>{run.name ? run.name : <span className="muted">unnamed</span>}</td>
            <td className="col-state"><StateBadge state={run.state} /></td>
            <td className="col-time"><TimeAgo iso={run.createdAt} now={now} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
