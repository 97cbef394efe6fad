"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { FileEntry, RunFile } from "@/contracts/run-media";
import { formatBytes } from "@/components/format";
import { useTRPC } from "@/trpc/client";
import { fileUrl } from "./file-url";
import { ImageModal } from "./image-modal";

const THUMBS = 24;
const LATEST = 5000; // entries a gallery holds: the latest ones

/** An image file series: the image at a step chosen with a slider, its name and description, thumbnails, and a modal. */
export function ImageGallery({ runId, file, shareToken }: { runId: string; file: RunFile; shareToken?: string }) {
  const trpc = useTRPC();
  const { data, error, refetch } = useQuery(trpc.runMedia.fileEntries.queryOptions({ runId, path: file.path, fromEnd: true, limit: LATEST }));
  // The file list is refreshed on every run.updated: refetch when it says the series grew.
  const grown = `${file.count}:${file.lastStep}`;
  const seen = useRef(grown);
  useEffect(() => {
    if (seen.current !== grown) {
      seen.current = grown;
      void refetch();
    }
  }, [grown, refetch]);
  const entries = useMemo(() => (data?.entries ?? []).filter((e) => e.contentType.startsWith("image/")), [data]);
  const [index, setIndex] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const atEnd = useRef(true);
  // Follow new entries while the slider sits at the last one.
  const shown = entries.length === 0 ? -1 : index === null || (atEnd.current && index < entries.length - 1) ? entries.length - 1 : Math.min(index, entries.length - 1);
  useEffect(() => {
    atEnd.current = shown === entries.length - 1;
  }, [shown, entries.length]);

  if (error) return <p className="error-text" role="alert">{error.message}</p>;
  if (!data) return <p className="muted">Loading images…</p>;
  if (entries.length === 0) return <p className="muted">No images in this series.</p>;
  const entry = entries[shown];
  const src = (e: FileEntry) => fileUrl(runId, file.path, { step: e.step, shareToken });
  const choose = (i: number) => {
    atEnd.current = i === entries.length - 1;
    setIndex(i);
  };
  const first = Math.max(0, Math.min(shown - Math.floor(THUMBS / 2), entries.length - THUMBS));
  const thumbs = entries.slice(first, first + THUMBS);

  return (
    <div className="gallery" data-path={file.path}>
      <div className="gallery-controls">
        <label className="gallery-slider">
          <span>Step <strong className="mono" aria-live="polite">{entry.step}</strong></span>
          <input
            type="range"
            min={0}
            max={entries.length - 1}
            value={shown}
            onChange={(e) => choose(Number(e.target.value))}
            aria-label={`Step of ${file.path}`}
            aria-valuetext={`step ${entry.step}`}
            disabled={entries.length < 2}
          />
        </label>
        <span className="muted">{shown + 1} of {entries.length}{data.hasEarlier ? ` (the latest ${LATEST} of ${file.count ?? "more"})` : ""}</span>
      </div>
      <figure className="gallery-main">
        <button className="image-button" onClick={() => setOpen(shown)} title="Enlarge">
          {/* eslint-disable-next-line @next/next/no-img-element -- run files are served by the API, not optimized assets */}
          <img src={src(entry)} alt={entry.description || entry.name || `${file.path} at step ${entry.step}`} data-step={entry.step} />
        </button>
        <figcaption>
          <strong className="mono">{entry.name ?? `step ${entry.step}`}</strong>
          {entry.description && <span className="image-caption">{entry.description}</span>}
          <span className="muted">{entry.contentType}, {formatBytes(entry.size)}</span>
        </figcaption>
      </figure>
      {entries.length > 1 && (
        <ol className="thumbs">
          {thumbs.map((e, i) => (
            <li key={e.step}>
              <button className={first + i === shown ? "thumb active" : "thumb"} onClick={() => choose(first + i)} title={e.name ?? `step ${e.step}`}>
                {/* eslint-disable-next-line @next/next/no-img-element -- run files are served by the API */}
                <img src={src(e)} alt="" loading="lazy" />
                <span className="mono">{e.step}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {open !== null && (
        <ImageModal
          images={entries.map((e) => ({ src: src(e), title: e.name ?? `${file.path} · step ${e.step}`, caption: e.description, detail: `step ${e.step}` }))}
          index={open}
          onIndex={(i) => {
            setOpen(i);
            choose(i);
          }}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
