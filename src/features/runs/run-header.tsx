"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import type { UpdateRunInput, UpdateRunResult } from "@/contracts/run-data";
import type { RunView } from "@/contracts/runs";
import { useTRPC } from "@/trpc/client";
import { Markdown } from "./markdown";

type Edit = Omit<UpdateRunInput, "runId">;

/** Saves header edits; the caller applies the answer at once (viewers get run.updated). */
function useUpdateRun(runId: string, onSaved: (r: UpdateRunResult) => void) {
  const trpc = useTRPC();
  const mutation = useMutation(trpc.runData.updateRun.mutationOptions({ onSuccess: onSaved }));
  return { save: (edit: Edit) => mutation.mutateAsync({ runId, ...edit }), pending: mutation.isPending, error: mutation.error?.message ?? null };
}

export function applyUpdate(run: RunView, r: UpdateRunResult): RunView {
  return {
    ...run, name: r.name, description: r.description, tags: r.tags,
    fields: { ...run.fields, "sys/name": r.name, "sys/description": r.description, "sys/tags": r.tags.join(","), "sys/modification_time": r.modifiedAt },
  };
}

/** The run's name: text, or an inline editor for contributors. */
export function RunName({ run, canEdit, onSaved }: { run: RunView; canEdit: boolean; onSaved: (r: UpdateRunResult) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(run.name);
  const { save, pending, error } = useUpdateRun(run.id, onSaved);
  if (!editing) {
    return (
      <>
        {run.name && <span className="run-name">{run.name}</span>}
        {canEdit && <button type="button" className="btn-link rename" onClick={() => { setDraft(run.name); setEditing(true); }}>{run.name ? "Rename" : "Add a name"}</button>}
      </>
    );
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    await save({ name: draft.trim() });
    setEditing(false);
  }
  return (
    <form className="inline-edit" onSubmit={(e) => void submit(e).catch(() => {})}>
      <input className="input" aria-label="Run name" value={draft} maxLength={1024} autoFocus onChange={(e) => setDraft(e.target.value)} />
      <button type="submit" className="btn btn-small btn-primary" disabled={pending}>Save</button>
      <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>Cancel</button>
      {error && <span role="alert" className="error-text">{error}</span>}
    </form>
  );
}

/** Tags as chips; contributors remove them with × and add them with the field beside. */
export function TagEditor({ run, canEdit, onSaved }: { run: RunView; canEdit: boolean; onSaved: (r: UpdateRunResult) => void }) {
  const [draft, setDraft] = useState("");
  const { save, pending, error } = useUpdateRun(run.id, onSaved);
  async function add(e: FormEvent) {
    e.preventDefault();
    const tags = draft.split(",").map((t) => t.trim()).filter((t) => t.length > 0 && !run.tags.includes(t));
    if (tags.length > 0) await save({ addTags: tags });
    setDraft("");
  }
  return (
    <span className="tags" data-tags={run.tags.join(",")}>
      {run.tags.length === 0 && !canEdit && <span className="muted">none</span>}
      {run.tags.map((tag) => (
        <span key={tag} className="tag">
          {tag}
          {canEdit && (
            <button type="button" className="tag-remove" aria-label={`Remove tag ${tag}`} disabled={pending} onClick={() => void save({ removeTags: [tag] }).catch(() => {})}>×</button>
          )}
        </span>
      ))}
      {canEdit && (
        <form className="tag-add" onSubmit={(e) => void add(e).catch(() => {})}>
          <input className="input input-tag" aria-label="Add tag" placeholder="add tag" value={draft} maxLength={256} onChange={(e) => setDraft(e.target.value)} />
        </form>
      )}
      {error && <span role="alert" className="error-text">{error}</span>}
    </span>
  );
}

/** The run's Markdown notes: rendered for everyone, edited with a preview by contributors. */
export function RunNotes({ run, canEdit, onSaved }: { run: RunView; canEdit: boolean; onSaved: (r: UpdateRunResult) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(run.description);
  const [preview, setPreview] = useState(false);
  const { save, pending, error } = useUpdateRun(run.id, onSaved);

  if (!editing) {
    if (!run.description && !canEdit) return null;
    return (
      <section className="run-notes" aria-label="Notes">
        {run.description ? <Markdown source={run.description} /> : <p className="muted">No description yet.</p>}
        {canEdit && (
          <button type="button" className="btn btn-small" onClick={() => { setDraft(run.description); setPreview(false); setEditing(true); }}>
            {run.description ? "Edit notes" : "Add notes"}
          </button>
        )}
      </section>
    );
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    await save({ description: draft });
    setEditing(false);
  }
  return (
    <form className="run-notes editing" aria-label="Edit notes" onSubmit={(e) => void submit(e).catch(() => {})}>
      <div className="notes-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={!preview} className={preview ? "tab" : "tab active"} onClick={() => setPreview(false)}>Write</button>
        <button type="button" role="tab" aria-selected={preview} className={preview ? "tab active" : "tab"} onClick={() => setPreview(true)}>Preview</button>
        <span className="muted notes-hint">Markdown: # headings, **bold**, *italic*, `code`, ``` blocks, - lists, [links](https://…)</span>
      </div>
      {preview
        ? <div className="notes-preview">{draft.trim() ? <Markdown source={draft} /> : <p className="muted">Nothing to preview.</p>}</div>
        : <textarea className="input notes-input" aria-label="Description" rows={8} value={draft} maxLength={65536} autoFocus onChange={(e) => setDraft(e.target.value)} />}
      <div className="row">
        <button type="submit" className="btn btn-small btn-primary" disabled={pending}>Save notes</button>
        <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>Cancel</button>
        {error && <span role="alert" className="error-text">{error}</span>}
      </div>
    </form>
  );
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <div className="fact"><dt>{label}</dt><dd>{children}</dd></div>;
}
