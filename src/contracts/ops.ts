import { pathProblem } from "./paths";
import { textProblem, timeProblem } from "./text";

export const MAX_POINTS_PER_REQUEST = 100_000;
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export type AtomKind = "float" | "string" | "bool" | "datetime";
export type SeriesKind = "floatSeries" | "stringSeries";

export type AssignOp = { kind: "assign"; path: string; atom: AtomKind | null; value: number | string | boolean | Date | null };
/** Points of one append; `steps[i]` is null when the client let the server choose. */
export type AppendOp = {
  kind: "append";
  path: string;
  series: SeriesKind | null; // null: decided by the existing series, else by the values
  steps: (number | null)[];
  values: (number | string)[];
  ts: (number | null)[];
  hasNumber: boolean;
};
export type TagsOp = { kind: "addTags" | "removeTags"; tags: string[] };
export type Op = AssignOp | AppendOp | TagsOp;

export type OpsBatch = { batchId: string; ops: Op[]; pointCount: number };

export class OpsError extends Error {
  constructor(readonly where: string, message: string, readonly tooLarge = false) {
    super(`${where}: ${message}`);
  }
}

const FLOAT_TOKENS: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };
export const isFloatToken = (v: unknown): v is string => typeof v === "string" && v in FLOAT_TOKENS;
export const floatOf = (v: number | string): number => (typeof v === "number" ? v : FLOAT_TOKENS[v]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}


function checkTags(tags: unknown, where: string): string[] {
  if (!Array.isArray(tags)) throw new OpsError(where, "must be an array of strings");
  if (tags.length > 1000) throw new OpsError(where, "at most 1000 tags per op");
  tags.forEach((t, i) => {
    if (typeof t !== "string" || t.length === 0 || t.length > 256) throw new OpsError(`${where}[${i}]`, "a tag is a string of 1 to 256 characters");
    const problem = textProblem(t);
    if (problem) throw new OpsError(`${where}[${i}]`, `a tag ${problem}`);
  });
  return tags as string[];
}

function parseAssign(o: Record<string, unknown>, where: string): AssignOp {
  const path = o.assign;
  const problem = pathProblem(path);
  if (problem) throw new OpsError(`${where}.assign`, problem);
  for (const k of Object.keys(o)) if (k !== "assign" && k !== "value" && k !== "type") throw new OpsError(where, `unknown key "${k}" in an assign op`);
  if (!("value" in o)) throw new OpsError(`${where}.value`, "is missing");
  const value = o.value;
  if (o.type !== undefined) {
    if (o.type !== "datetime") throw new OpsError(`${where}.type`, `unknown type ${typeof o.type === "string" ? JSON.stringify(o.type.slice(0, 40)) : typeof o.type}; only "datetime" may be given`);
    const date = typeof value === "number" ? new Date(value) : typeof value === "string" ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new OpsError(`${where}.value`, "a datetime is an ISO 8601 string or epoch milliseconds");
    const problem = timeProblem(date.getTime());
    if (problem) throw new OpsError(`${where}.value`, `a datetime ${problem}`);
    return { kind: "assign", path: path as string, atom: "datetime", value: date };
  }
  if (value === null) return { kind: "assign", path: path as string, atom: null, value: null };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new OpsError(`${where}.value`, "must be a finite number");
    return { kind: "assign", path: path as string, atom: "float", value };
  }
  if (typeof value === "string") {
    if (value.length > 65536) throw new OpsError(`${where}.value`, "a string atom holds at most 65536 characters");
    const problem = textProblem(value);
    if (problem) throw new OpsError(`${where}.value`, `text ${problem}`);
    return { kind: "assign", path: path as string, atom: "string", value };
  }
  if (typeof value === "boolean") return { kind: "assign", path: path as string, atom: "bool", value };
  throw new OpsError(`${where}.value`, "must be a number, string, boolean or null");
}

function parseAppend(o: Record<string, unknown>, where: string, budget: { points: number }): AppendOp {
  const path = o.append;
  const problem = pathProblem(path);
  if (problem) throw new OpsError(`${where}.append`, problem);
  for (const k of Object.keys(o)) if (k !== "append" && k !== "points" && k !== "type") throw new OpsError(where, `unknown key "${k}" in an append op`);
  let series: SeriesKind | null = null;
  if (o.type !== undefined) {
    if (o.type !== "floatSeries" && o.type !== "stringSeries") throw new OpsError(`${where}.type`, `must be "floatSeries" or "stringSeries"`);
    series = o.type;
  }
  const points = o.points;
  if (!Array.isArray(points)) throw new OpsError(`${where}.points`, "must be an array of points");
  if (points.length === 0) throw new OpsError(`${where}.points`, "is empty");
  budget.points += points.length;
  if (budget.points > MAX_POINTS_PER_REQUEST) throw new OpsError(`${where}.points`, `a request holds at most ${MAX_POINTS_PER_REQUEST} points`, true);
  const n = points.length;
  const steps: (number | null)[] = new Array(n);
  const values: (number | string)[] = new Array(n);
  const ts: (number | null)[] = new Array(n);
  let hasNumber = false;
  let hasText = false;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (!isObject(p)) throw new OpsError(`${where}.points[${i}]`, "must be an object {step?, value, ts?}");
    const v = p.value;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new OpsError(`${where}.points[${i}].value`, "must be finite (send NaN/Infinity as strings)");
      hasNumber = true;
    } else if (typeof v === "string") {
      if (!isFloatToken(v)) hasText = true;
      if (v.length > 65536) throw new OpsError(`${where}.points[${i}].value`, "a text point holds at most 65536 characters");
      const problem = textProblem(v);
      if (problem) throw new OpsError(`${where}.points[${i}].value`, `text ${problem}`);
    } else {
      throw new OpsError(`${where}.points[${i}].value`, v === undefined ? "is missing" : "must be a number or a string");
    }
    values[i] = v;
    const s = p.step;
    if (s === undefined || s === null) steps[i] = null;
    else if (typeof s === "number" && Number.isFinite(s)) steps[i] = s;
    else throw new OpsError(`${where}.points[${i}].step`, "must be a finite number");
    const t = p.ts;
    if (t === undefined || t === null) ts[i] = null;
    else if (typeof t === "number" && timeProblem(t) === null) ts[i] = Math.round(t);
    else throw new OpsError(`${where}.points[${i}].ts`, typeof t === "number" ? `must be epoch milliseconds ${timeProblem(t)!.replace(/^must be /, "")}` : "must be epoch milliseconds");
  }
  if (series === "floatSeries" && hasText) {
    const i = values.findIndex((v) => typeof v === "string" && !isFloatToken(v));
    throw new OpsError(`${where}.points[${i}].value`, "a float series takes numbers, \"NaN\", \"Infinity\" or \"-Infinity\"");
  }
  if (series === null && hasNumber && hasText) {
    const i = values.findIndex((v) => typeof v === "string" && !isFloatToken(v));
    throw new OpsError(`${where}.points[${i}].value`, "mixes text with numbers in one series");
  }
  if (series === "stringSeries" && hasNumber) {
    const i = values.findIndex((v) => typeof v === "number");
    throw new OpsError(`${where}.points[${i}].value`, "a string series takes strings");
  }
  return { kind: "append", path: path as string, series, steps, values, ts, hasNumber };
}

/** Validates an ops request body; throws OpsError naming the op (and point) at fault. */
export function parseOpsBatch(body: unknown): OpsBatch {
  if (!isObject(body)) throw new OpsError("body", "must be a JSON object {batchId, ops}");
  for (const k of Object.keys(body)) if (k !== "batchId" && k !== "ops") throw new OpsError("body", `unknown key "${k}"`);
  const { batchId, ops } = body;
  if (typeof batchId !== "string" || batchId.length === 0 || batchId.length > 128) throw new OpsError("batchId", "must be a string of 1 to 128 characters");
  const idProblem = textProblem(batchId);
  if (idProblem) throw new OpsError("batchId", idProblem);
  if (!Array.isArray(ops)) throw new OpsError("ops", "must be an array");
  if (ops.length > MAX_POINTS_PER_REQUEST) throw new OpsError("ops", `a request holds at most ${MAX_POINTS_PER_REQUEST} ops`, true);
  const budget = { points: 0 };
  const parsed: Op[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i];
    const where = `ops[${i}]`;
    if (!isObject(o)) throw new OpsError(where, "must be an object");
    if ("assign" in o) parsed[i] = parseAssign(o, where);
    else if ("append" in o) parsed[i] = parseAppend(o, where, budget);
    else if ("addTags" in o || "removeTags" in o) {
      const kind = "addTags" in o ? "addTags" : "removeTags";
      if (Object.keys(o).length !== 1) throw new OpsError(where, `a ${kind} op has no other keys`);
      parsed[i] = { kind, tags: checkTags(o[kind], `${where}.${kind}`) };
    } else {
      throw new OpsError(where, `unknown op with keys ${JSON.stringify(Object.keys(o).slice(0, 5).map((k) => k.slice(0, 40)))}; expected assign, append, addTags or removeTags`);
    }
  }
  return { batchId, ops: parsed, pointCount: budget.points };
}
