"use client";

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { RunTableField } from "@/contracts/run-table";
import { suggest, type Suggestion } from "./suggest";

/**
 * The filter: the run query language with completion of field paths, functions, operators and
 * keywords at the caret. Enter applies (or accepts the highlighted completion); the server's
 * error, if any, is shown under the text with the character it points at marked.
 */
export function FilterBar({ value, fields, error, onApply }: {
  value: string; fields: RunTableField[]; error: { message: string; position: number } | null; onApply: (filter: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  const [caret, setCaret] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // Enter takes a completion only when one was typed toward or chosen with the arrow keys.
  const [chose, setChose] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setDraft(value), [value]);

  const found = useMemo(() => suggest(draft, caret, fields), [draft, caret, fields]);
  const items = open ? found.items : [];

  function accept(s: Suggestion) {
    const tail = draft.slice(found.to);
    const space = s.insert.endsWith("(") || tail.startsWith(" ") ? "" : " ";
    const next = draft.slice(0, found.from) + s.insert + space + tail;
    const at = found.from + s.insert.length + space.length;
    setDraft(next);
    setActive(0);
    setChose(false);
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(at, at);
      setCaret(at);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" && items.length) { e.preventDefault(); setChose(true); setActive((a) => (a + 1) % items.length); return; }
    if (e.key === "ArrowUp" && items.length) { e.preventDefault(); setChose(true); setActive((a) => (a - 1 + items.length) % items.length); return; }
    if (e.key === "Escape") { setOpen(false); return; }
    if ((e.key === "Tab" || e.key === "Enter") && items.length && items[active]) {
      // Enter applies once what is typed is already complete.
      const typed = draft.slice(found.from, found.to);
      if (e.key === "Tab" || (typed !== items[active].insert && (chose || typed !== ""))) {
        e.preventDefault();
        accept(items[active]);
        return;
      }
    }
    if (e.key === "Enter") {
      e.preventDefault();
      setOpen(false);
      onApply(draft.trim());
    }
  }

  const track = () => {
    setCaret(input.current?.selectionStart ?? draft.length);
    setOpen(true);
  };

  return (
    <div className="rt-filter">
      <div className="rt-filter-row">
        <input
          ref={input}
          className="input mono rt-filter-input"
          aria-label="Filter"
          placeholder='Filter: params/lr < 0.01 and last(train/loss) < 0.2 and tags contains "baseline"'
          value={draft}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => { setDraft(e.target.value); setCaret(e.target.selectionStart ?? e.target.value.length); setOpen(true); setActive(0); setChose(false); }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => { if (!["ArrowDown", "ArrowUp", "Enter", "Tab", "Escape"].includes(e.key)) track(); }}
          onClick={track}
          onFocus={track}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <button type="button" className="btn btn-small" onClick={() => onApply(draft.trim())}>Apply</button>
        {value && <button type="button" className="btn btn-small" onClick={() => { setDraft(""); onApply(""); }}>Clear</button>}
      </div>
      {items.length > 0 && (
        <ul className="rt-suggest" role="listbox" aria-label="Suggestions">
          {items.map((s, i) => (
            <li
              key={`${s.kind}:${s.label}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseDown={(e) => { e.preventDefault(); accept(s); }}
            >
              <span className="mono">{s.label}</span> <span className="muted rt-suggest-kind">{s.kind}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div className="rt-filter-error" role="alert">
          <span>{error.message} at position {error.position}</span>
          <code className="rt-error-text">
            {value.slice(0, error.position)}
            <mark className="rt-error-mark">{value.slice(error.position, error.position + 1) || " "}</mark>
            {value.slice(error.position + 1)}
          </code>
        </div>
      )}
    </div>
  );
}
