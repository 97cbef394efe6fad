import type { AtomKind, SeriesKind } from "@/contracts/ops";
import type { FieldType } from "@/contracts/runs";

/** What the writer knows of one (run, path) while it plans a group of batches. */
export type FieldState = {
  id: number | null; // null until a new series row is inserted
  type: FieldType;
  count: number;
  firstStep: number | null;
  lastStep: number | null;
  last: number | string | null;
  min: number | null;
  max: number | null;
};

export const fieldKey = (runId: string, path: string) => `${runId}\u0000${path}`;

export const isAtom = (t: FieldType): t is AtomKind => t === "float" || t === "string" || t === "bool" || t === "datetime";
export const isSeries = (t: FieldType): t is SeriesKind => t === "floatSeries" || t === "stringSeries";

export function typeConflict(path: string, existing: FieldType, wanted: FieldType): string {
  return `path "${path}" is a ${existing} and cannot take a ${wanted}`;
}
