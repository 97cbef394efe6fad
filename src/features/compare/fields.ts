import type { AtomValue, RunView } from "@/contracts/runs";

/** What a chart or table reads from a run: an atom path, or a float series' last/min/max. */
export type Operand = string;

const SUMMARY = /^(last|min|max)\((.+)\)$/;
/** sys/ fields worth comparing; ids and times differ between any two runs and say little. */
export const SYS_ROWS = ["sys/name", "sys/state", "sys/owner", "sys/tags"] as const;

/** The first path segment, or "" for top-level series. */
export const namespaceOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : "");

/** Every float series path of any of the runs, grouped by namespace, both sorted. */
export function metricGroups(runs: RunView[]): { namespace: string; paths: string[] }[] {
  const paths = new Set<string>();
  for (const run of runs) for (const [path, s] of Object.entries(run.series)) if (s.type === "floatSeries") paths.add(path);
  const groups = new Map<string, string[]>();
  for (const path of [...paths].sort()) {
    const ns = namespaceOf(path);
    groups.set(ns, [...(groups.get(ns) ?? []), path]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))).map(([namespace, p]) => ({ namespace, paths: p }));
}

/** Atom paths of any of the runs (sys/ left out), sorted. */
export function atomPaths(runs: RunView[]): string[] {
  const paths = new Set<string>();
  for (const run of runs) for (const path of Object.keys(run.fields)) if (!path.startsWith("sys/")) paths.add(path);
  return [...paths].sort();
}

/** An operand's value for a run: an atom, or a series summary; undefined when the run lacks it. */
export function valueOf(run: RunView, operand: Operand): AtomValue | undefined {
  const m = SUMMARY.exec(operand);
  if (m) {
    const s = run.series[m[2]];
    if (!s || s.type !== "floatSeries") return undefined;
    const v = m[1] === "last" ? s.last : m[1] === "min" ? s.min : s.max;
    return v === null ? undefined : v;
  }
  return operand in run.fields ? run.fields[operand] : undefined;
}

/** A value as a number for an axis, or null (strings such as "NaN" from JSON count as numbers). */
export function numeric(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** Whether the values of one row differ between the runs (a missing value differs from any). */
export function differs(values: (AtomValue | undefined)[]): boolean {
  const key = (v: AtomValue | undefined) => (v === undefined ? "\u0000missing" : JSON.stringify(v));
  return new Set(values.map(key)).size > 1;
}

/** Fields a scatter or parallel axis can use: atoms, and last/min/max of every float series. */
export function axisOperands(runs: RunView[]): Operand[] {
  const metrics = metricGroups(runs).flatMap((g) => g.paths);
  return [...atomPaths(runs), ...metrics.flatMap((p) => [`last(${p})`, `min(${p})`, `max(${p})`])];
}
