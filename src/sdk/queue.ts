import type { FieldValue } from "./config";
import { assignJson, encodeChunk, MAX_TEXT, SeriesChunk, type EncodedOp } from "./encode";
import type { PathRegistry, PathState } from "./paths";

/** Options of Run.append. */
export type AppendOptions = {
  /** Step of the point; it must be greater than the series' previous step. Left out: the server uses the previous step + 1. */
  step?: number;
  /** When the value was observed: epoch milliseconds or a Date. Default: now. */
  ts?: number | Date;
};

type OpEntry = EncodedOp & { seq: number };
type Entry = SeriesChunk | OpEntry;

/** Operations taken from the front of the queue for one request. */
export type Taken = { ops: EncodedOp[]; firstSeq: number; items: number };

const noop = () => {};

function tsOf(ts: number | Date, path: string): number {
  const ms = typeof ts === "number" ? ts : ts instanceof Date ? ts.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`Cairn: append "${path}": ts must be epoch milliseconds or a valid Date`);
  return ms;
}

/**
 * Everything logged and not yet taken into a request, in call order. Appends to a path go into
 * that path's open chunk, so interleaved series still make one append op each per request; order
 * is kept per path (the only order the server can observe) and for every other operation.
 * Each entry has a sequence number, so flush() can wait for exactly what was logged before it.
 */
export class OpQueue {
  /** Called when the queue goes from empty to non-empty. */
  onFirst: () => void = noop;
  /** Called when the queue reaches a full request's worth of items. */
  onFull: () => void = noop;
  /** Points and other operations queued. */
  size = 0;
  /** When the queue last went from empty to non-empty (epoch ms). */
  firstAt = 0;
  private closed = false;
  private readonly open = new Map<string, SeriesChunk>();
  private entries: (Entry | undefined)[] = [];
  private head = 0;
  private seq = 0;

  constructor(private readonly paths: PathRegistry, private readonly fullAt: number) {}

  /** The hot path: no allocation beyond the array slots, the path validated once per chunk. */
  append(path: string, value: number | string, opts?: AppendOptions): void {
    const chunk = this.open.get(path);
    if (chunk === undefined || (chunk.float ? typeof value !== "number" : typeof value !== "string")) {
      return this.appendToNewChunk(path, value, opts);
    }
    if (!chunk.float && (value as string).length > MAX_TEXT) throw tooLong(path, value as string);
    const state = chunk.state;
    let step = NaN;
    let ts: number;
    if (opts === undefined) {
      ts = Date.now();
      state.last += 1;
    } else {
      ts = opts.ts === undefined ? Date.now() : tsOf(opts.ts, path);
      const s = opts.step;
      if (s === undefined) state.last += 1;
      else if (typeof s === "number" && s > state.last && s - s === 0) state.last = step = s;
      else throw badStep(path, s, state);
    }
    chunk.steps.push(step);
    chunk.values.push(value);
    chunk.ts.push(ts);
    if (++this.size === this.fullAt) this.onFull();
  }

  private appendToNewChunk(path: string, value: unknown, opts?: AppendOptions): void {
    if (this.closed) throw closedError();
    const float = typeof value === "number";
    if (!float && typeof value !== "string") {
      throw new TypeError(`Cairn: append "${path}": value must be a number or a string, got ${value === null ? "null" : typeof value}`);
    }
    const chunk = new SeriesChunk(++this.seq, path, float, this.paths.claim(path, float ? "floatSeries" : "stringSeries"));
    this.open.set(path, chunk);
    try {
      this.append(path, value as number | string, opts);
    } catch (err) {
      this.open.delete(path);
      throw err;
    }
    this.push(chunk);
  }

  assign(path: string, value: FieldValue): void {
    if (this.closed) throw closedError();
    const json = assignJson(path, value);
    if (value === null) this.paths.clear(path);
    else this.paths.claim(path, value instanceof Date ? "datetime" : typeof value === "number" ? "float" : typeof value === "string" ? "string" : "bool");
    this.pushOp(json, `assign "${path}"`);
  }

  tags(op: "addTags" | "removeTags", tags: string[]): void {
    if (this.closed) throw closedError();
    if (tags.length > 1000) throw new TypeError(`Cairn: ${op}: at most 1000 tags per call, got ${tags.length}`);
    for (const t of tags) {
      if (typeof t !== "string" || t.length === 0 || t.length > 256) {
        throw new TypeError(`Cairn: ${op}: each tag must be a string of 1 to 256 characters, got ${JSON.stringify(t)}`);
      }
    }
    if (tags.length > 0) this.pushOp(`{"${op}":${JSON.stringify(tags)}}`, `${op} ${tags.join(", ")}`);
  }

  private pushOp(json: string, label: string): void {
    this.push({ seq: ++this.seq, json, label, items: 1 });
    if (++this.size === this.fullAt) this.onFull();
  }

  private push(entry: Entry): void {
    const wasEmpty = this.head === this.entries.length;
    this.entries.push(entry);
    if (wasEmpty) {
      this.firstAt = Date.now();
      this.onFirst();
    }
  }

  /** Later appends start new chunks, so everything logged so far has a sequence number ≤ lastSeq. */
  seal(): void {
    this.open.clear();
  }

  /** Stops accepting operations (after finish). */
  close(): void {
    this.closed = true;
    this.open.clear();
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Sequence number of the oldest queued entry; Infinity when empty. */
  get headSeq(): number {
    return this.head < this.entries.length ? this.entries[this.head]!.seq : Infinity;
  }

  /**
   * Takes operations from the front, at most maxItems points/operations and about maxChars of
   * JSON. A chunk cut short stays at the front with its remaining points.
   */
  take(maxItems: number, maxChars: number): Taken | null {
    if (this.head === this.entries.length) return null;
    const ops: EncodedOp[] = [];
    const firstSeq = this.headSeq;
    let items = 0;
    let chars = 0;
    while (this.head < this.entries.length && items < maxItems && chars < maxChars) {
      const entry = this.entries[this.head]!;
      if (entry instanceof SeriesChunk) {
        // Points logged from now on go to a new chunk behind this one, which keeps their order.
        if (this.open.get(entry.path) === entry) this.open.delete(entry.path);
        const op = encodeChunk(entry, maxItems - items, maxChars - chars, ops.length === 0);
        if (op === null) break;
        ops.push(op);
        items += op.items;
        chars += op.json.length;
        if (entry.from < entry.values.length) break;
      } else {
        if (ops.length > 0 && chars + entry.json.length > maxChars) break;
        ops.push({ json: entry.json, label: entry.label, items: 1 });
        items += 1;
        chars += entry.json.length;
      }
      this.entries[this.head++] = undefined;
    }
    this.size -= items;
    this.compact();
    return { ops, firstSeq, items };
  }

  private compact(): void {
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** For error messages: the series with queued points, up to five. */
  seriesNames(): string {
    const series = new Set<string>();
    for (let i = this.head; i < this.entries.length && series.size <= 5; i++) {
      const e = this.entries[i];
      if (e instanceof SeriesChunk) series.add(`"${e.path}"`);
    }
    return [...series].slice(0, 5).join(", ") + (series.size > 5 ? ", …" : "");
  }
}

function badStep(path: string, step: unknown, state: PathState | { last: number }): TypeError {
  const after = state.last === -Infinity ? "" : ` greater than the previous step ${state.last}`;
  return new TypeError(`Cairn: append "${path}": step must be a finite number${after}, got ${String(step)}`);
}

function tooLong(path: string, value: string): TypeError {
  return new TypeError(`Cairn: append "${path}": a text point holds at most ${MAX_TEXT} characters, got ${value.length}`);
}

function closedError(): Error {
  return new Error("Cairn: the run is finished; nothing more can be logged to it");
}
