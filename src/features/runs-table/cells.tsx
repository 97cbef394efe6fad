import type { ReactNode } from "react";

const TIME_COLUMNS = new Set(["sys/creation_time", "sys/modification_time", "sys/ping_time", "sys/finished_time"]);

/** A number as a table shows it: up to 6 significant digits, exponent for very small or large. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e12) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(3);
  return String(Number(n.toPrecision(6)));
}

/** A cell's text (also its tooltip) for any value the run query returns. */
export function cellText(column: string, v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return TIME_COLUMNS.has(column) ? v.replace("T", " ").replace(/\.\d+Z$/, "Z") : v;
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "object") {
    const o = v as { type?: string; last?: unknown; size?: number | null };
    if (o.type === "floatSeries" || o.type === "stringSeries") return cellText(column, o.last ?? null);
    if (o.type === "file" || o.type === "fileSeries") return o.size === null || o.size === undefined ? o.type : `${o.type} (${o.size} B)`;
  }
  return JSON.stringify(v);
}

export function Cell({ column, value }: { column: string; value: unknown }): ReactNode {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (column === "tags" && Array.isArray(value)) return <span className="tags">{value.map((t) => <span key={String(t)} className="tag">{String(t)}</span>)}</span>;
  if (column === "sys/state" && typeof value === "string") return <span className={`badge badge-${value}`}>{value}</span>;
  const text = cellText(column, value);
  return <span className={typeof value === "number" || (typeof value === "object" && (value as { type?: string }).type === "floatSeries") ? "num" : undefined}>{text}</span>;
}
