import type { Piece } from "./pieces";

export type Bucket = { fromStep: number; toStep: number; min: number | null; max: number | null; last: number; count: number };

/**
 * Merges ordered pieces into at most `maxBuckets` buckets of about equal step width. A bucket
 * is a union of whole pieces, so its min and max are exact for its step range.
 */
export function bucketize(pieces: Piece[], maxBuckets: number): Bucket[] {
  if (pieces.length === 0) return [];
  const start = pieces[0].fromStep;
  const end = pieces[pieces.length - 1].toStep;
  const width = (end - start) / maxBuckets;
  const out: Bucket[] = [];
  let current: Bucket | null = null;
  let currentIndex = -1;
  for (const p of pieces) {
    const index = width > 0 ? Math.min(maxBuckets - 1, Math.floor((p.fromStep - start) / width)) : 0;
    if (current && index === currentIndex) {
      current.toStep = p.toStep;
      current.last = p.last;
      current.count += p.count;
      if (p.min !== null && (current.min === null || p.min < current.min)) current.min = p.min;
      if (p.max !== null && (current.max === null || p.max > current.max)) current.max = p.max;
    } else {
      current = { ...p };
      currentIndex = index;
      out.push(current);
    }
  }
  return out;
}
