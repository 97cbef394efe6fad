import { createHash } from "node:crypto";
import { floatOf, isFloatToken, type OpsBatch, type AssignOp, type AppendOp } from "@/contracts/ops";
import type { FieldType } from "@/contracts/runs";
import { AppError, invalid } from "@/server/errors";
import { fieldKey, isAtom, isSeries, typeConflict, type FieldState } from "./field-state";

export type AtomWrite = { runId: string; projectId: string; path: string; type: FieldType | null; value: AssignOp["value"] };
export type PointsWrite = {
  runId: string;
  path: string;
  key: string;
  type: "floatSeries" | "stringSeries";
  startOrdinal: number;
  steps: number[];
  values: (number | string)[];
  ts: number[];
};

/** The effect of one batch, computed in memory against the state of the fields it touches. */
export type BatchPlan = {
  runId: string;
  projectId: string;
  batchId: string;
  applied: number;
  atoms: Map<string, AtomWrite>; // key → last assignment (type null: delete)
  points: PointsWrite[];
  tags: Map<string, boolean>; // tag → present after the batch
  touched: Map<string, FieldState | null>; // key → state after the batch (null: deleted)
};

/**
 * Plans a batch against `read` (the group's current view of fields). Throws an AppError on
 * the first op that cannot apply; nothing of the batch is kept then.
 */
export function planBatch(
  runId: string,
  projectId: string,
  batch: OpsBatch,
  read: (key: string) => FieldState | null,
  now: number,
): BatchPlan {
  const plan: BatchPlan = {
    runId, projectId, batchId: batch.batchId, applied: batch.ops.length,
    atoms: new Map(), points: [], tags: new Map(), touched: new Map(),
  };
  const get = (key: string) => (plan.touched.has(key) ? plan.touched.get(key)! : read(key));

  batch.ops.forEach((op, i) => {
    const where = `ops[${i}]`;
    if (op.kind === "assign") planAssign(plan, op, where, get);
    else if (op.kind === "append") planAppend(plan, op, where, get, now);
    else for (const tag of op.tags) plan.tags.set(tag, op.kind === "addTags");
  });
  return plan;
}

function planAssign(plan: BatchPlan, op: AssignOp, where: string, get: (k: string) => FieldState | null) {
  const key = fieldKey(plan.runId, op.path);
  const existing = get(key);
  if (op.atom === null) {
    if (!existing) return;
    if (!isAtom(existing.type)) throw invalid(`path "${op.path}" is a ${existing.type}; only atoms can be cleared`, `${where}.value`);
    plan.touched.set(key, null);
    plan.atoms.set(key, { runId: plan.runId, projectId: plan.projectId, path: op.path, type: null, value: null });
    return;
  }
  if (existing && existing.type !== op.atom) throw invalid(typeConflict(op.path, existing.type, op.atom), `${where}.assign`);
  plan.touched.set(key, {
    id: existing?.id ?? null, type: op.atom, count: 0, firstStep: null, lastStep: null, last: null, min: null, max: null,
  });
  plan.atoms.set(key, { runId: plan.runId, projectId: plan.projectId, path: op.path, type: op.atom, value: op.value });
}

function seriesTypeOf(op: AppendOp, existing: FieldState | null, where: string): "floatSeries" | "stringSeries" {
  if (existing) {
    if (!isSeries(existing.type)) {
      throw invalid(typeConflict(op.path, existing.type, op.series ?? (op.hasNumber ? "floatSeries" : "stringSeries")), `${where}.append`);
    }
    if (op.series && op.series !== existing.type) throw invalid(typeConflict(op.path, existing.type, op.series), `${where}.type`);
    if (existing.type === "stringSeries" && op.hasNumber) throw invalid(typeConflict(op.path, "stringSeries", "floatSeries"), `${where}.append`);
    if (existing.type === "floatSeries") {
      const bad = op.values.findIndex((v) => typeof v === "string" && !isFloatToken(v));
      if (bad >= 0) throw invalid(typeConflict(op.path, "floatSeries", "stringSeries"), `${where}.points[${bad}].value`);
    }
    return existing.type;
  }
  if (op.series) return op.series;
  return op.hasNumber ? "floatSeries" : "stringSeries";
}

function planAppend(plan: BatchPlan, op: AppendOp, where: string, get: (k: string) => FieldState | null, now: number) {
  const key = fieldKey(plan.runId, op.path);
  const existing = get(key);
  const type = seriesTypeOf(op, existing, where);
  const state: FieldState = existing
    ? { ...existing }
    : { id: null, type, count: 0, firstStep: null, lastStep: null, last: null, min: null, max: null };
  const n = op.values.length;
  const steps = new Array<number>(n);
  const values = new Array<number | string>(n);
  const ts = new Array<number>(n);
  let prev = state.lastStep;
  let min = state.min;
  let max = state.max;
  for (let i = 0; i < n; i++) {
    const given = op.steps[i];
    const step = given ?? (prev === null ? 0 : prev + 1);
    if (prev !== null && step <= prev) {
      throw new AppError("invalid", `${where}.points[${i}].step: step ${step} of series "${op.path}" is not greater than its previous step ${prev}`, `${where}.points[${i}].step`);
    }
    steps[i] = step;
    prev = step;
    ts[i] = op.ts[i] ?? now;
    if (type === "floatSeries") {
      const v = floatOf(op.values[i]);
      values[i] = v;
      if (!Number.isNaN(v)) {
        if (min === null || v < min) min = v;
        if (max === null || v > max) max = v;
      }
    } else {
      values[i] = op.values[i];
    }
  }
  plan.points.push({ runId: plan.runId, path: op.path, key, type, startOrdinal: state.count, steps, values, ts });
  state.count += n;
  state.firstStep ??= steps[0];
  state.lastStep = steps[n - 1];
  state.last = values[n - 1];
  state.min = min;
  state.max = max;
  plan.touched.set(key, state);
}

/**
 * sha256 (hex) of a batch's canonical form: its ops as parsed, so the same content digests
 * alike however the client spaced or ordered its JSON keys. Stored with the batch id, it tells
 * a retry (same digest) from a different batch that reuses the id.
 */
export function batchDigest(batch: OpsBatch): string {
  const hash = createHash("sha256");
  for (const op of batch.ops) {
    if (op.kind === "assign") {
      const value = op.value instanceof Date ? op.value.toISOString() : op.value;
      hash.update(JSON.stringify(["assign", op.path, op.atom, value]));
    } else if (op.kind === "append") {
      hash.update(JSON.stringify(["append", op.path, op.series, op.steps, op.values, op.ts]));
    } else {
      hash.update(JSON.stringify([op.kind, op.tags]));
    }
    hash.update("\n");
  }
  return hash.digest("hex");
}
