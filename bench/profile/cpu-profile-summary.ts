import fs from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileRow = { name: string; selfMs: number; selfPct: number; totalMs?: number };

const shortUrl = (url: string) => url.replace(/^file:\/\//, "").replace(/.*\/node_modules\//, "~/").replace(/.*\/work\/main\//, "");
const keyOf = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

/**
 * Self time by function and by file, and inclusive time of the functions named in `inclusive`
 * (matched by function name), from a V8 .cpuprofile (node --cpu-prof).
 */
export function summarizeCpuProfile(file: string, top = 30, inclusive: string[] = []) {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const totalMs = (p.endTime - p.startTime) / 1000;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    add(fnSelf, keyOf(n), ms);
    add(fileSelf, shortUrl(n.callFrame.url) || `(${n.callFrame.functionName})`, ms);
  }
  // Inclusive time: a node's self time plus its subtree's, counted once per named function on the path.
  const incl = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (inclusive.includes(name) && !seen.has(name)) {
        seen.add(name);
        add(incl, name, ms);
      }
    }
  }
  const rows = (m: Map<string, number>, n: number): ProfileRow[] => [...m.entries()]
    .sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms), selfPct: Number(((100 * ms) / totalMs).toFixed(1)) }));
  return {
    profiledMs: Math.round(totalMs),
    idleMs: Math.round(fnSelf.get([...fnSelf.keys()].find((k) => k.startsWith("(idle)")) ?? "") ?? 0),
    functions: rows(fnSelf, top),
    files: rows(fileSelf, 15),
    inclusiveMs: Object.fromEntries([...incl.entries()].map(([k, v]) => [k, Math.round(v)])),
  };
}
