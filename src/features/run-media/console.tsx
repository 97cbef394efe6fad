"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { TextLine } from "@/contracts/run-media";
import { useTRPCClient } from "@/trpc/client";
import { Highlight, matches } from "./highlight";
import { terminalText } from "./terminal-text";
import type { MediaLive } from "./use-media-live";

const PAGE = 500;
const KEEP = 20_000; // lines held in the page; older ones are dropped and can be loaded again
const ROW = 18;

/** String series (stdout, stderr, logs/…) as a live tail with search, one tab per series. */
export function Console({ runId, paths, live }: { runId: string; paths: string[]; live: MediaLive }) {
  const preferred = paths.includes("stdout") ? "stdout" : paths[0];
  const [chosen, setChosen] = useState<string | null>(null);
  const path = chosen && paths.includes(chosen) ? chosen : preferred;
  return (
    <div className="console">
      {paths.length > 1 && (
        <div className="tabs" role="tablist">
          {paths.map((p) => (
            <button key={p} role="tab" aria-selected={p === path} className={p === path ? "tab active" : "tab"} onClick={() => setChosen(p)}>
              <span className="mono">{p}</span>
            </button>
          ))}
        </div>
      )}
      <ConsoleView key={path} runId={runId} path={path} live={live} />
    </div>
  );
}

type View = { lines: TextLine[]; hasEarlier: boolean; atTail: boolean };

const clean = <P extends { lines: TextLine[] }>(page: P): P => ({ ...page, lines: page.lines.map((l) => ({ ...l, value: terminalText(l.value) })) });

function ConsoleView({ runId, path, live }: { runId: string; path: string; live: MediaLive }) {
  const client = useTRPCClient();
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [showTime, setShowTime] = useState(false);
  const [busy, setBusy] = useState(false);
  const viewRef = useRef<View | null>(null);
  viewRef.current = view;
  const scroller = useRef<HTMLDivElement>(null);
  const [target, setTarget] = useState<number | null>(null);
  // Live points that arrive before the first page are kept and merged after it.
  const pending = useRef<TextLine[]>([]);
  const catchingUp = useRef(false);

  const [query, setQuery] = useState("");
  const [search, setSearch] = useState<{ query: string; matches: TextLine[]; next: number | null; loading: boolean } | null>(null);

  const loadTail = useCallback(async () => {
    try {
      const page = clean(await client.runMedia.lines.query({ runId, path, limit: PAGE }));
      const last = page.lines.at(-1)?.step ?? -Infinity;
      const extra = pending.current.filter((l) => l.step > last);
      pending.current = [];
      setView({ lines: [...page.lines, ...extra], hasEarlier: page.hasEarlier, atTail: true });
      setFollowing(true);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [client, runId, path]);

  useEffect(() => {
    void loadTail();
  }, [loadTail]);

  // After a reconnect some events may be lost: fetch whatever came after the last line.
  const catchUp = useCallback(async () => {
    const v = viewRef.current;
    if (!v || !v.atTail || catchingUp.current) return;
    catchingUp.current = true;
    try {
      let after = v.lines.at(-1)?.step;
      for (;;) {
        const page = clean(await client.runMedia.lines.query({ runId, path, afterStep: after, limit: 5000 }));
        append(page.lines);
        if (!page.hasLater || page.lines.length === 0) break;
        after = page.lines.at(-1)!.step;
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      catchingUp.current = false;
    }
  }, [client, runId, path]);

  const append = (lines: TextLine[]) => {
    setView((v) => {
      if (!v || !v.atTail) return v;
      const last = v.lines.at(-1)?.step ?? -Infinity;
      const fresh = lines.filter((l) => l.step > last);
      if (fresh.length === 0) return v;
      const all = [...v.lines, ...fresh];
      return all.length > KEEP ? { ...v, lines: all.slice(all.length - KEEP), hasEarlier: true } : { ...v, lines: all };
    });
    setSearch((s) => {
      if (!s) return s;
      const found = lines.filter((l) => matches(l.value, s.query) && !s.matches.some((m) => m.step === l.step));
      return found.length ? { ...s, matches: [...found.reverse(), ...s.matches] } : s;
    });
  };

  useEffect(() => live.onPoints((e) => {
    const s = e.series[path];
    if (!s) return;
    const lines = s.points.map((p) => ({ step: p.step, value: terminalText(String(p.value)), ts: p.ts }));
    if (!viewRef.current) {
      pending.current.push(...lines);
      return;
    }
    if (s.truncated) void catchUp();
    else append(lines);
  }), [live.onPoints, path, catchUp]);

  useEffect(() => {
    if (live.rejoins > 0) void catchUp();
  }, [live.rejoins, catchUp]);

  const lines = view?.lines ?? [];
  // Rows are measured: a logged value may hold several lines.
  const rows = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 20 });
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // Follow the tail: keep the last line in view as lines arrive (the count stays put once the
  // page holds KEEP lines) and as measured rows grow.
  const lastStep = lines.at(-1)?.step;
  const totalSize = rows.getTotalSize();
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following && view?.atTail) el.scrollTop = el.scrollHeight;
  }, [lastStep, totalSize, following, view?.atTail]);

  useEffect(() => {
    if (target === null) return;
    const i = lines.findIndex((l) => l.step === target);
    if (i >= 0) rows.scrollToIndex(i, { align: "center" });
  }, [target, lines, rows]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el || !view?.atTail) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 1.5;
    if (atBottom !== following) setFollowing(atBottom);
  };

  const loadEarlier = async () => {
    const first = view?.lines[0];
    if (!first) return;
    setBusy(true);
    try {
      const page = clean(await client.runMedia.lines.query({ runId, path, beforeStep: first.step, limit: PAGE }));
      setView((v) => v && { ...v, lines: [...page.lines, ...v.lines], hasEarlier: page.hasEarlier });
      setFollowing(false);
      // Keep the line the reader was looking at in place.
      requestAnimationFrame(() => rowsRef.current?.scrollToIndex(page.lines.length, { align: "start" }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const loadLater = async () => {
    const last = view?.lines.at(-1);
    if (!last) return;
    setBusy(true);
    try {
      const page = clean(await client.runMedia.lines.query({ runId, path, afterStep: last.step, limit: PAGE }));
      setView((v) => v && { ...v, lines: [...v.lines, ...page.lines], atTail: !page.hasLater });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  /** Shows a matched line in its context (lines around it), leaving the live tail. */
  const jumpTo = async (step: number) => {
    setBusy(true);
    try {
      // The lines before the match, then the match and what follows it.
      const before = clean(await client.runMedia.lines.query({ runId, path, beforeStep: step, limit: 200 }));
      const after = clean(await client.runMedia.lines.query({ runId, path, afterStep: before.lines.at(-1)?.step ?? -Number.MAX_VALUE, limit: 201 }));
      setFollowing(false);
      setView({ lines: [...before.lines, ...after.lines], hasEarlier: before.hasEarlier, atTail: !after.hasLater });
      setTarget(step);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const runSearch = async (q: string, beforeStep?: number) => {
    if (!q) {
      setSearch(null);
      return;
    }
    setSearch((s) => ({ query: q, matches: beforeStep === undefined ? [] : s?.matches ?? [], next: s?.next ?? null, loading: true }));
    try {
      const page = await client.runMedia.searchLines.query({ runId, path, query: q, beforeStep, limit: 200 });
      const found = page.matches.map((m) => ({ ...m, value: terminalText(m.value) }));
      setSearch((s) => ({ query: q, matches: beforeStep === undefined ? found : [...(s?.matches ?? []), ...found], next: page.nextBeforeStep, loading: false }));
    } catch (e) {
      setError((e as Error).message);
      setSearch(null);
    }
  };

  const backToTail = () => {
    setTarget(null);
    setView(null);
    void loadTail();
  };

  const highlightQuery = search?.query ?? "";

  return (
    <div className={/(^|\/)stderr$/.test(path) ? "console-view console-stderr" : "console-view"} data-path={path}>
      <div className="console-bar">
        <form
          className="console-search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void runSearch(query.trim());
          }}
        >
          <input type="search" placeholder={`Search ${path}`} aria-label={`Search ${path}`} value={query} onChange={(e) => {
            setQuery(e.target.value);
            if (!e.target.value) setSearch(null);
          }} />
          <button className="btn" type="submit">Search</button>
        </form>
        <span className="spacer" />
        {view && !view.atTail && <button className="btn" onClick={backToTail}>Back to live tail</button>}
        <label className="console-follow">
          <input type="checkbox" checked={showTime} onChange={(e) => setShowTime(e.target.checked)} /> Times
        </label>
        {view?.atTail && (
          <label className="console-follow">
            <input type="checkbox" checked={following} onChange={(e) => setFollowing(e.target.checked)} /> Follow
          </label>
        )}
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {search && (
        <div className="console-results" aria-label="Search results">
          <p className="muted">
            {search.loading ? "Searching…" : search.matches.length === 0 ? `No lines contain “${search.query}”.` : `${search.matches.length}${search.next !== null ? "+" : ""} matching lines, newest first — click one to see it in context.`}
          </p>
          <ol className="console-matches">
            {search.matches.map((m) => (
              <li key={m.step}>
                <button className="console-match" onClick={() => void jumpTo(m.step)}>
                  <span className="step mono">{m.step}</span>
                  <span className="mono"><Highlight text={m.value} query={search.query} /></span>
                </button>
              </li>
            ))}
          </ol>
          {search.next !== null && !search.loading && <button className="btn" onClick={() => void runSearch(search.query, search.next!)}>Older matches</button>}
        </div>
      )}
      {view?.hasEarlier && <button className="btn console-earlier" disabled={busy} onClick={() => void loadEarlier()}>Load earlier lines</button>}
      <div className="console-lines" ref={scroller} onScroll={onScroll} role="log" aria-label={`${path} output`}>
        {!view && !error && <p className="muted console-empty">Loading…</p>}
        {view && lines.length === 0 && <p className="muted console-empty">No lines yet.</p>}
        <div style={{ height: totalSize, position: "relative" }}>
          {rows.getVirtualItems().map((item) => {
            const line = lines[item.index];
            return (
              <div
                key={item.key}
                ref={rows.measureElement}
                data-index={item.index}
                className={line.step === target ? "console-line target" : "console-line"}
                style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                data-step={line.step}
              >
                <span className="step">{line.step}</span>
                {showTime && <span className="time" title={new Date(line.ts).toISOString()}>{clock(line.ts)}</span>}
                <span className="text"><Highlight text={line.value} query={highlightQuery} /></span>
              </div>
            );
          })}
        </div>
      </div>
      {view && !view.atTail && <button className="btn console-later" disabled={busy} onClick={() => void loadLater()}>Load later lines</button>}
    </div>
  );
}

/** The time of day a line was logged, in the reader's zone, to the millisecond. */
function clock(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
