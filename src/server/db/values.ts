/** Column values as the two drivers hand them back, made uniform. */

/** A timestamp (Date from one driver, text from the other) as ISO 8601, or null. */
export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A uuid[] column: parsed by postgres.js, the array literal as text from PGlite. */
export function uuidArray(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v as string[];
  if (typeof v === "string") return v.replace(/^\{|\}$/g, "").split(",").filter(Boolean);
  return null;
}
