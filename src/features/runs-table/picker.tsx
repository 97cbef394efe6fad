"use client";

import { useEffect, useMemo, useRef, useState } from "react";

export type PickerOption = { value: string; group: string };

/**
 * A searchable checklist in a dropdown: the column picker, and the aggregates of a grouping.
 * Chosen options are listed first, in their order.
 */
export function Picker({ label, options, selected, onChange, single }: {
  label: string; options: PickerOption[]; selected: string[]; onChange: (next: string[]) => void; single?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => { if (!root.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  const shown = useMemo(() => {
    const s = search.trim().toLowerCase();
    const all = [...selected.map((v) => options.find((o) => o.value === v) ?? { value: v, group: "chosen" }), ...options.filter((o) => !selected.includes(o.value))];
    return (s ? all.filter((o) => o.value.toLowerCase().includes(s)) : all).slice(0, 300);
  }, [options, selected, search]);

  const toggle = (v: string) => {
    if (single) { onChange(selected.includes(v) ? [] : [v]); setOpen(false); return; }
    onChange(selected.includes(v) ? selected.filter((x) => x !== v) : [...selected, v]);
  };

  return (
    <div className="rt-picker" ref={root}>
      <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {label}{!single && selected.length > 0 ? ` (${selected.length})` : single && selected[0] ? `: ${selected[0]}` : ""}
      </button>
      {open && (
        <div className="rt-picker-panel" role="dialog" aria-label={label}>
          <input className="input" autoFocus placeholder="Search fields" aria-label={`Search ${label.toLowerCase()}`} value={search} onChange={(e) => setSearch(e.target.value)} />
          <ul>
            {shown.map((o) => (
              <li key={o.value}>
                <label className="check">
                  <input type="checkbox" checked={selected.includes(o.value)} onChange={() => toggle(o.value)} />
                  <span className="mono">{o.value}</span>
                  <span className="muted rt-suggest-kind">{o.group}</span>
                </label>
              </li>
            ))}
            {shown.length === 0 && <li className="muted">No field matches.</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
