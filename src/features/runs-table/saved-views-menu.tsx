"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { RunTableView } from "@/contracts/run-table";
import { useTRPC } from "@/trpc/client";

/**
 * Saved views of the project: open one, save the current table as a new view, save it into
 * the open view, or delete a view (its creator or a maintainer).
 */
export function SavedViewsMenu({ projectId, view, savedViewId, canWrite, onOpen, onSaved }: {
  projectId: string; view: RunTableView; savedViewId: string | null; canWrite: boolean;
  onOpen: (state: RunTableView, id: string | null) => void; onSaved: (id: string | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.savedViews.list.queryOptions({ projectId }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.savedViews.list.queryKey({ projectId }) });
  const create = useMutation(trpc.savedViews.create.mutationOptions({ onSuccess: (v) => { onSaved(v.id); setNaming(false); void invalidate(); } }));
  const update = useMutation(trpc.savedViews.update.mutationOptions({ onSuccess: () => void invalidate() }));
  const remove = useMutation(trpc.savedViews.delete.mutationOptions({ onSuccess: () => { onSaved(null); void invalidate(); } }));
  const [naming, setNaming] = useState(false);

  const views = list.data ?? [];
  const current = views.find((v) => v.id === savedViewId) ?? null;
  const dirty = current !== null && JSON.stringify(current.state) !== JSON.stringify(view);
  const error = create.error ?? update.error ?? remove.error;

  function saveAs(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    create.mutate({ projectId, name, state: view });
  }

  return (
    <div className="rt-views">
      <select
        className="input rt-view-select"
        aria-label="Saved view"
        value={current?.id ?? ""}
        onChange={(e) => {
          const v = views.find((x) => x.id === e.target.value);
          if (v) onOpen(v.state, v.id);
          else onSaved(null);
        }}
      >
        <option value="">{current ? "— no saved view —" : "Saved views…"}</option>
        {views.map((v) => <option key={v.id} value={v.id}>{v.name}{v.id === savedViewId && dirty ? " (changed)" : ""}</option>)}
      </select>
      {canWrite && current && dirty && (
        <button type="button" className="btn btn-small" disabled={update.isPending} onClick={() => update.mutate({ viewId: current.id, state: view })}>Save</button>
      )}
      {canWrite && !naming && <button type="button" className="btn btn-small" onClick={() => setNaming(true)}>Save as…</button>}
      {canWrite && naming && (
        <form className="rt-save-as" onSubmit={saveAs}>
          <input className="input" name="name" aria-label="View name" placeholder="View name" autoFocus required maxLength={100} defaultValue={current ? `${current.name} copy` : ""} />
          <button type="submit" className="btn btn-small btn-primary" disabled={create.isPending}>Save view</button>
          <button type="button" className="btn btn-small" onClick={() => setNaming(false)}>Cancel</button>
        </form>
      )}
      {current?.canDelete && (
        <button type="button" className="btn btn-small btn-danger" disabled={remove.isPending}
          onClick={() => { if (window.confirm(`Delete the view "${current.name}" for everyone in the project?`)) remove.mutate({ viewId: current.id }); }}>
          Delete view
        </button>
      )}
      {error && <span className="error-text" role="alert">{error.message}</span>}
    </div>
  );
}
