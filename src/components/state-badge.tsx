import type { RunState } from "@/contracts/runs";

export function StateBadge({ state }: { state: RunState }) {
  return <span className={`badge badge-${state}`}>{state}</span>;
}
