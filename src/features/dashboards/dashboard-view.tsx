"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorText } from "@/components/form";
import type { Dashboard, DashboardLayout, Widget } from "@/contracts/dashboards";
import { connectLive, keepJoined } from "@/features/live/socket";
import { useTRPC } from "@/trpc/client";
import { defaultTitle, WidgetView } from "./widget-view";
import { WidgetForm } from "./widget-form";

/**
 * A dashboard: a 4-column grid of widgets. Contributors edit a draft (add, edit, remove,
 * move, resize, rename) and save it; everyone else sees the saved layout.
 */
export function DashboardView({ initial, base }: { initial: Dashboard; base: string }) {
  const [, workspaceSlug, projectSlug] = base.split("/");
  const project = { workspace: workspaceSlug, project: projectSlug };
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: saved } = useQuery(trpc.dashboards.get.queryOptions({ dashboardId: initial.id }, { initialData: initial }));
  const dashboard = saved ?? initial;
  const [draft, setDraft] = useState<DashboardLayout>(dashboard.layout);
  const [name, setName] = useState(dashboard.name);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [base_, setBase] = useState(dashboard.updatedAt);
  const dirty = JSON.stringify(draft) !== JSON.stringify(dashboard.layout) || name.trim() !== dashboard.name;

  const save = useMutation(trpc.dashboards.update.mutationOptions({
    onSuccess: (d) => {
      queryClient.setQueryData(trpc.dashboards.get.queryKey({ dashboardId: d.id }), d);
      setDraft(d.layout);
      setName(d.name);
      setBase(d.updatedAt);
      void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
    },
  }));
  const remove = useMutation(trpc.dashboards.delete.mutationOptions({ onSuccess: () => router.push(`${base}/dashboards`) }));

  useLiveWidgets(dashboard.projectId);

  // Warn before leaving with unsaved changes.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const widgets = draft.widgets;
  const setWidgets = (ws: Widget[]) => setDraft({ ...draft, widgets: ws });
  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= widgets.length) return;
    const next = [...widgets];
    [next[i], next[j]] = [next[j], next[i]];
    setWidgets(next);
  };
  const patch = (i: number, p: Partial<Pick<Widget, "width" | "height">>) => setWidgets(widgets.map((w, k) => (k === i ? { ...w, ...p } as Widget : w)));

  return (
    <div className="dashboard" data-dirty={dirty ? "true" : "false"}>
      <header className="run-head">
        {dashboard.canEdit
          ? <input className="input page-title-input" aria-label="Dashboard name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          : <h1 className="page-title">{dashboard.name}</h1>}
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={() => queryClient.invalidateQueries({ queryKey: trpc.dashboards.widgetData.queryKey() })}>Refresh</button>
        {dashboard.canEdit && <>
          <button type="button" className="btn btn-small" onClick={() => setEditing("new")} disabled={widgets.length >= 50}>Add widget</button>
          <button
            type="button" className="btn" disabled={!dirty || save.isPending}
            onClick={() => save.mutate({ dashboardId: dashboard.id, name: name.trim(), layout: draft, baseUpdatedAt: base_ })}
          >{save.isPending ? "Saving…" : dirty ? "Save" : "Saved"}</button>
          {dirty && <button type="button" className="btn btn-small" onClick={() => { setDraft(dashboard.layout); setName(dashboard.name); }}>Discard changes</button>}
          <ConfirmButton label="Delete dashboard" question={`Delete ${dashboard.name} for everyone?`} onConfirm={() => remove.mutate({ dashboardId: dashboard.id })} />
        </>}
      </header>
      <ErrorText error={save.error ?? remove.error} />
      {editing === "new" && (
        <WidgetForm project={project} onCancel={() => setEditing(null)} onDone={(w) => { setWidgets([...widgets, w]); setEditing(null); }} />
      )}
      {widgets.length === 0
        ? <p className="muted">{dashboard.canEdit ? "No widgets yet: add one, then save." : "This dashboard has no widgets yet."}</p>
        : (
          <div className="dash-grid">
            {widgets.map((w, i) => (
              <article
                key={w.id} className="dash-widget" data-widget={w.kind} aria-label={w.title || defaultTitle(w)}
                style={{ gridColumn: `span ${w.width}`, gridRow: `span ${w.height}` }}
              >
                <header>
                  <h3 title={w.title || defaultTitle(w)}>{w.title || defaultTitle(w)}</h3>
                  {dashboard.canEdit && <>
                    <button type="button" className="btn btn-small" aria-label="Move earlier" onClick={() => move(i, -1)} disabled={i === 0}>←</button>
                    <button type="button" className="btn btn-small" aria-label="Move later" onClick={() => move(i, 1)} disabled={i === widgets.length - 1}>→</button>
                    <select className="input input-tiny" aria-label="Width" value={w.width} onChange={(e) => patch(i, { width: Number(e.target.value) })}>
                      {[1, 2, 3, 4].map((n) => <option key={n} value={n}>{`${n}w`}</option>)}
                    </select>
                    <select className="input input-tiny" aria-label="Height" value={w.height} onChange={(e) => patch(i, { height: Number(e.target.value) })}>
                      {[1, 2, 3].map((n) => <option key={n} value={n}>{`${n}h`}</option>)}
                    </select>
                    <button type="button" className="btn btn-small" onClick={() => setEditing(w.id)}>Edit</button>
                    <button type="button" className="btn btn-small" aria-label="Remove widget" onClick={() => setWidgets(widgets.filter((x) => x.id !== w.id))}>×</button>
                  </>}
                </header>
                {editing === w.id
                  ? <WidgetForm project={project} initial={w} onCancel={() => setEditing(null)} onDone={(nw) => { setWidgets(widgets.map((x) => (x.id === w.id ? nw : x))); setEditing(null); }} />
                  : <div className="widget-body"><WidgetView projectId={dashboard.projectId} widget={w} base={base} /></div>}
              </article>
            ))}
          </div>
        )}
    </div>
  );
}

/** At most one refetch of the widgets per this many milliseconds while runs log. */
const LIVE_REFETCH_MS = 5_000;

/**
 * Widgets follow the project: any run created, updated or logging in the project's room
 * refetches the widgets' data, coalesced so a busy project costs one refetch every few seconds.
 */
function useLiveWidgets(projectId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = connectLive();
    const stop = keepJoined(socket, `project:${projectId}`, () => {});
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const refetch = () => {
      timer = null;
      last = Date.now();
      void queryClient.invalidateQueries({ queryKey: trpc.dashboards.widgetData.queryKey() });
    };
    const changed = () => {
      if (!timer) timer = setTimeout(refetch, Math.max(500, LIVE_REFETCH_MS - (Date.now() - last)));
    };
    socket.on("run.created", changed);
    socket.on("run.updated", changed);
    socket.on("points.appended", changed);
    socket.on("run.finished", changed);
    return () => {
      if (timer) clearTimeout(timer);
      stop();
      socket.disconnect();
    };
  }, [projectId, queryClient, trpc]);
}
