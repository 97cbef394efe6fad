/**
 * Stable run colours: the same run key (or id) gets the same colour on every page and every
 * visit, so a run is recognisable across the run page, comparisons and dashboards.
 */
export const palette = [
  "#2f6fdf", "#e4572e", "#29a35a", "#9b5de5", "#f2a541", "#17a2b8", "#d6336c", "#6c8a1f",
  "#8c564b", "#3d5a80", "#ff7f0e", "#1b998b", "#c05299", "#7f7f7f", "#bcbd22", "#5c4d7d",
  "#e07a5f", "#2a9d8f", "#b5651d", "#4361ee",
] as const;

/** FNV-1a over the UTF-16 code units: cheap, and spreads similar keys (IRIS-1, IRIS-2) apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour of a run, from its key (preferred, readable in URLs) or its id. */
export function colorOf(runKeyOrId: string): string {
  return palette[hash(runKeyOrId) % palette.length];
}

/**
 * Colours for a set of runs shown together: each keeps its stable colour unless another run
 * of the set already took it, in which case it takes the next free palette slot (and only
 * beyond the palette's size do colours repeat).
 */
export function colorsOf(runKeysOrIds: readonly string[]): Map<string, string> {
  const taken = new Set<number>();
  const out = new Map<string, string>();
  for (const key of runKeysOrIds) {
    if (out.has(key)) continue;
    let slot = hash(key) % palette.length;
    for (let i = 0; i < palette.length && taken.has(slot); i++) slot = (slot + 1) % palette.length;
    if (taken.size >= palette.length) slot = hash(key) % palette.length;
    taken.add(slot);
    out.set(key, palette[slot]);
  }
  return out;
}
