import type { FieldValue } from "./config";

/** Longest text the server stores in a field or a string-series point. */
export const MAX_TEXT = 65_536;

/** One operation of an ops request, already JSON, with a label for error reports. */
export type EncodedOp = { json: string; label: string; items: number };

/** Points of one series waiting to be sent. Parallel arrays instead of point objects keep append() cheap. */
export class SeriesChunk {
  /** NaN where the caller gave no step: the server then assigns the previous step + 1. */
  readonly steps: number[] = [];
  readonly values: (number | string)[] = [];
  readonly ts: number[] = [];
  /** Points before this index were already taken into a batch. */
  from = 0;
  constructor(
    readonly seq: number,
    readonly path: string,
    readonly float: boolean,
    readonly state: { last: number },
  ) {}
}

// JSON has no NaN or infinities; the API takes them as strings on a floatSeries append.
function floatJson(v: number): string {
  if (v === v && v !== Infinity && v !== -Infinity) return String(v);
  return v === Infinity ? '"Infinity"' : v === -Infinity ? '"-Infinity"' : '"NaN"';
}

/**
 * Encodes points of `chunk` from `chunk.from`: at most `maxItems` of them and `maxChars` of
 * JSON, except that a first point is taken whatever its size when `atLeastOne` (a request
 * must make progress). Returns null when not even one point fits.
 */
export function encodeChunk(chunk: SeriesChunk, maxItems: number, maxChars: number, atLeastOne: boolean): EncodedOp | null {
  const { steps, values, ts, float } = chunk;
  const start = chunk.from;
  const end = Math.min(values.length, start + maxItems);
  let json = `{"append":${JSON.stringify(chunk.path)},"type":"${float ? "floatSeries" : "stringSeries"}","points":[`;
  let i = start;
  for (; i < end; i++) {
    const step = steps[i];
    const point = (i > start ? "," : "") + (step === step ? `{"step":${step},"value":` : `{"value":`) +
      (float ? floatJson(values[i] as number) : JSON.stringify(values[i])) + `,"ts":${ts[i]}}`;
    if (json.length + point.length + 2 > maxChars && !(i === start && atLeastOne)) break;
    json += point;
  }
  if (i === start) return null;
  json += "]}";
  chunk.from = i;
  return { json, label: chunkLabel(chunk, start, i), items: i - start };
}

function chunkLabel(chunk: SeriesChunk, start: number, end: number): string {
  const first = chunk.steps[start];
  const last = chunk.steps[end - 1];
  const steps = first === first && last === last ? ` (steps ${first}–${last})` : "";
  return `append "${chunk.path}" ×${end - start}${steps}`;
}

/** JSON of an assign op; throws TypeError for values the API cannot store. */
export function assignJson(path: string, value: FieldValue): string {
  const p = JSON.stringify(path);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`Cairn: assign "${path}": invalid Date`);
    return `{"assign":${p},"value":"${value.toISOString()}","type":"datetime"}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`Cairn: assign "${path}": ${value} cannot be stored as a field (use a series for NaN or infinities)`);
  }
  if (typeof value === "string" && value.length > MAX_TEXT) {
    throw new TypeError(`Cairn: assign "${path}": a text field holds at most ${MAX_TEXT} characters, got ${value.length}`);
  }
  if (value !== null && typeof value !== "number" && typeof value !== "string" && typeof value !== "boolean") {
    throw new TypeError(`Cairn: assign "${path}": value must be a number, string, boolean, null or Date, got ${typeName(value)}`);
  }
  return `{"assign":${p},"value":${JSON.stringify(value)}}`;
}

export function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}
