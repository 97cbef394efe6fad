/** JSON has no NaN or Infinity: they travel as the strings the ingestion API accepts. */
export const jsonNumber = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
export const jsonNumberOrNull = (v: number | null): number | string | null => (v === null ? null : jsonNumber(v));
