"use client";

import { useState } from "react";

/** A destructive action that asks once more inline before it runs (no browser dialog). */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, disabled }: {
  label: string; question: string; confirmLabel?: string; onConfirm: () => void; disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" className="btn btn-small btn-danger" disabled={disabled} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span className="confirm">
      <span>{question}</span>
      <button type="button" className="btn btn-small btn-danger" disabled={disabled} onClick={() => { setAsking(false); onConfirm(); }}>
        {confirmLabel ?? `Yes, ${label.toLowerCase()}`}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
