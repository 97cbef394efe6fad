"use client";

import { useEffect, useRef } from "react";

export type ModalImage = { src: string; title: string; caption?: string | null; detail?: string };

/** An enlarged image over the page; arrow keys and buttons step through the list, Escape closes. */
export function ImageModal({ images, index, onIndex, onClose }: { images: ModalImage[]; index: number; onIndex: (i: number) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const image = images[index];
  const prev = index > 0 ? () => onIndex(index - 1) : null;
  const next = index < images.length - 1 ? () => onIndex(index + 1) : null;
  useEffect(() => {
    dialog.current?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
      else if (e.key === "ArrowLeft" && prev) prev();
      else if (e.key === "ArrowRight" && next) next();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });
  if (!image) return null;
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal image-modal" role="dialog" aria-modal="true" aria-label={image.title} tabIndex={-1} ref={dialog} onClick={(e) => e.stopPropagation()}>
        <div className="image-modal-head">
          <strong className="mono">{image.title}</strong>
          {image.detail && <span className="muted">{image.detail}</span>}
          <span className="spacer" />
          <button className="btn" onClick={prev ?? undefined} disabled={!prev} aria-label="Previous image">‹ Prev</button>
          <button className="btn" onClick={next ?? undefined} disabled={!next} aria-label="Next image">Next ›</button>
          <button className="btn" onClick={onClose} aria-label="Close">Close</button>
        </div>
        {/* eslint-disable-next-line @next/next/no-img-element -- run files are served by the API, not optimized assets */}
        <img src={image.src} alt={image.caption || image.title} className="image-modal-img" />
        {image.caption && <p className="image-caption">{image.caption}</p>}
        <p className="muted">{index + 1} of {images.length}</p>
      </div>
    </div>
  );
}
