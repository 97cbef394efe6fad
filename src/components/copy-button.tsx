"use client";

import { useState } from "react";

/** Copies `text` to the clipboard, through a hidden textarea when the page is not a secure context. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Plain http on a LAN address has no clipboard API.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await copyText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return <button type="button" className="btn btn-small" onClick={copy}>{copied ? "Copied" : label}</button>;
}

/** A secret or link shown once, selectable, with a copy button. */
export function SecretBox({ value, label }: { value: string; label: string }) {
  return (
    <div className="secret-box">
      <input className="input mono" readOnly value={value} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
      <CopyButton text={value} />
    </div>
  );
}
