"use client";

import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import type { FileEntriesPage, FileEntry } from "@/contracts/run-media";
import { useTRPC } from "@/trpc/client";
import { fileUrl } from "./file-url";
import { ImageModal, type ModalImage } from "./image-modal";

/** The entry at `step`, else the latest one before it (a run that logged less often). */
export function entryAtStep(entries: FileEntry[], step: number): FileEntry | null {
  let best: FileEntry | null = null;
  for (const e of entries) if (e.step <= step && (!best || e.step > best.step)) best = e;
  return best;
}

/**
 * One image file series of several runs side by side at the same step: for the compare page.
 * A run without an entry at that step shows its latest earlier one, marked as such.
 */
export function ImageCompare({ runIds, path, step, shareToken }: { runIds: string[]; path: string; step: number; shareToken?: string }) {
  const trpc = useTRPC();
  const results = useQueries({
    // One entry per run: the one at the step, else the latest before it.
    queries: runIds.map((runId) => ({
      ...trpc.runMedia.fileEntries.queryOptions({ runId, path, toStep: step, fromEnd: true, limit: 1 }),
      retry: false,
      placeholderData: (prev: FileEntriesPage | undefined) => prev,
    })),
  });
  const [open, setOpen] = useState<number | null>(null);
  const cells = runIds.map((runId, i) => {
    const r = results[i];
    const entry = r.data ? entryAtStep(r.data.entries, step) : null;
    return { runId, runKey: r.data?.runKey ?? runId.slice(0, 8), entry, loading: r.isPending, missing: !!r.error };
  });
  const shown = cells.filter((c) => c.entry);
  const modal: ModalImage[] = shown.map((c) => ({
    src: fileUrl(c.runId, path, { step: c.entry!.step, shareToken }),
    title: `${c.runKey} · ${path}`,
    caption: c.entry!.description,
    detail: `step ${c.entry!.step}${c.entry!.name ? ` · ${c.entry!.name}` : ""}`,
  }));
  return (
    <div className="image-compare" data-path={path} data-step={step}>
      {cells.map((c) => (
        <figure key={c.runId} className="image-compare-cell" data-run={c.runKey}>
          <figcaption><strong className="mono">{c.runKey}</strong></figcaption>
          {c.loading ? <p className="muted">Loading…</p>
            : !c.entry ? <p className="muted">{c.missing ? `No ${path} in this run.` : `No image at or before step ${step}.`}</p>
            : (
              <>
                <button className="image-button" onClick={() => setOpen(shown.indexOf(c))} title="Enlarge">
                  {/* eslint-disable-next-line @next/next/no-img-element -- run files are served by the API */}
                  <img src={fileUrl(c.runId, path, { step: c.entry.step, shareToken })} alt={c.entry.description || `${c.runKey} ${path} step ${c.entry.step}`} />
                </button>
                <span className="mono">{c.entry.name ?? `step ${c.entry.step}`}</span>
                {c.entry.step !== step && <span className="muted"> (step {c.entry.step}, the latest before {step})</span>}
                {c.entry.description && <span className="image-caption">{c.entry.description}</span>}
              </>
            )}
        </figure>
      ))}
      {open !== null && <ImageModal images={modal} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />}
    </div>
  );
}
