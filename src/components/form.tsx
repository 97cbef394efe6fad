"use client";

import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

/** A labelled input; the label wraps it so tests and screen readers find it by name. */
export function Field({ label, hint, ...input }: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input className="input" {...input} />
      {hint && <span className="field-hint muted">{hint}</span>}
    </label>
  );
}

export function SelectField({ label, options, ...select }: { label: string; options: readonly (string | { value: string; label: string })[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select className="input" {...select}>
        {options.map((o) => (typeof o === "string"
          ? <option key={o} value={o}>{o}</option>
          : <option key={o.value} value={o.value}>{o.label}</option>))}
      </select>
    </label>
  );
}

/** An error from a failed action, announced to screen readers. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return <p className="error-text" role="alert">{errorMessage(error)}</p>;
}

export function errorMessage(error: unknown): string {
  if (!error) return "";
  if (typeof error === "string") return error;
  if (error instanceof Error) return error.message;
  return "something went wrong";
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "warn" | "ok" }) {
  return <div className={`notice notice-${tone}`} role="status">{children}</div>;
}
