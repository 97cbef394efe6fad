import type { AtomValue, SeriesSummary } from "@/contracts/runs";
import type { LivePoint } from "@/contracts/events";
import type { Publisher } from "@/server/realtime/publisher";
import { jsonNumber } from "@/server/realtime/json-number";
import type { BatchPlan } from "./plan-batch";

/** Turns a committed batch into live events. */
export function publishOutcome(publisher: Publisher, plan: BatchPlan): void {
  const fields: Record<string, AtomValue> = {};
  for (const w of plan.atoms.values()) {
    fields[w.path] = w.value instanceof Date ? w.value.toISOString() : w.value;
  }
  const added: string[] = [];
  const removed: string[] = [];
  for (const [tag, present] of plan.tags) (present ? added : removed).push(tag);
  if (plan.atoms.size > 0 || plan.tags.size > 0) publisher.fieldsChanged(plan.projectId, plan.runId, fields, added, removed);

  for (const w of plan.points) {
    const s = plan.touched.get(w.key);
    if (!s) continue;
    const summary: SeriesSummary = {
      type: w.type, count: s.count, firstStep: s.firstStep, lastStep: s.lastStep,
      last: typeof s.last === "number" ? jsonNumber(s.last) as number : s.last,
      min: s.min, max: s.max,
    };
    // Only the tail can matter to a live chart; the publisher caps it again after merging.
    const from = Math.max(0, w.steps.length - 1_000);
    const points: LivePoint[] = [];
    for (let i = from; i < w.steps.length; i++) {
      const v = w.values[i];
      points.push({ step: w.steps[i], value: typeof v === "number" ? jsonNumber(v) : v, ts: w.ts[i] });
    }
    publisher.pointsAppended(plan.projectId, plan.runId, w.path, summary, points);
  }
}
