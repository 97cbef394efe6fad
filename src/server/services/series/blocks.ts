/** Block levels of the float-series pyramid: level L aggregates 32^L consecutive points. */
export const BLOCK_LEVELS = [1, 2, 3, 4] as const;
export const BLOCK_FANOUT = 32;
export const blockSize = (level: number) => BLOCK_FANOUT ** level;

export type BlockAgg = {
  seriesId: number;
  level: number;
  blockNo: number;
  fromStep: number;
  toStep: number;
  min: number | null;
  max: number | null;
  last: number;
  count: number;
};

/**
 * Folds freshly appended points (ordinals startOrdinal.. in step order) into per-block partial
 * aggregates, keyed so several batches of one group merge before a single upsert.
 */
export function foldIntoBlocks(
  acc: Map<string, BlockAgg>,
  seriesId: number,
  startOrdinal: number,
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
): void {
  for (const level of BLOCK_LEVELS) {
    const size = blockSize(level);
    let i = 0;
    while (i < steps.length) {
      const blockNo = Math.floor((startOrdinal + i) / size);
      const end = Math.min(steps.length, (blockNo + 1) * size - startOrdinal);
      let min: number | null = null;
      let max: number | null = null;
      for (let j = i; j < end; j++) {
        const v = values[j];
        if (Number.isNaN(v)) continue; // NaN marks a missing value: it never becomes an extreme
        if (min === null || v < min) min = v;
        if (max === null || v > max) max = v;
      }
      const key = `${seriesId}:${level}:${blockNo}`;
      const prev = acc.get(key);
      if (prev) {
        prev.toStep = steps[end - 1];
        prev.last = values[end - 1];
        prev.count += end - i;
        if (min !== null && (prev.min === null || min < prev.min)) prev.min = min;
        if (max !== null && (prev.max === null || max > prev.max)) prev.max = max;
      } else {
        acc.set(key, { seriesId, level, blockNo, fromStep: steps[i], toStep: steps[end - 1], min, max, last: values[end - 1], count: end - i });
      }
      i = end;
    }
  }
}
