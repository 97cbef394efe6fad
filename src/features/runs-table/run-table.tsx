"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  flexRender, getCoreRowModel, useReactTable,
  type ColumnDef, type ColumnSizingState, type RowSelectionState, type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";
import { RunTableView, SYS_COLUMNS, type RunTableField } from "@/contracts/run-table";
import type { QueryRunsRow } from "@/contracts/run-query";
import type { ShareTarget } from "@/contracts/share-links";
import { ShareButton } from "@/features/share/share-button";
import { useTRPC, TRPCReactProvider } from "@/trpc/client";
import { Cell, cellText } from "./cells";
import { FilterBar } from "./filter-bar";
import { GroupTable } from "./group-table";
import { Picker, type PickerOption } from "./picker";
import { SavedViewsMenu } from "./saved-views-menu";
import { queryErrorAt } from "./suggest";
import { useLiveTable } from "./use-live-table";
import { viewToParams } from "./view-url";

export type RunTableProps = {
  workspace: string;
  project: string;
  projectId: string;
  /** The view to open with (from the URL, a saved view or a share link); default view if absent. */
  initialState?: RunTableView;
  /** The saved view the URL named, if any. */
  initialViewId?: string | null;
  /** Pages opened through a share link: calls act as the link. */
  shareToken?: string;
  /** No saving, sharing or comparing: a share link's visitor. */
  readOnly?: boolean;
  /** Contributors and up: save views and make share links. */
  canWrite?: boolean;
};

const PAGE = 100;
const ROW_HEIGHT = 32;
const DEFAULT_WIDTH = 150;
const MAX_COMPARE = 100;
const FIXED = ["select", "sys/key", "sys/name"];
const NO_ROWS: QueryRunsRow[] = [];

/** The project run table. On share pages it brings its own tRPC client that acts as the link. */
export function RunTable(props: RunTableProps) {
  if (props.shareToken) {
    return <TRPCReactProvider shareToken={props.shareToken}><RunTableInner {...props} /></TRPCReactProvider>;
  }
  return <RunTableInner {...props} />;
}

/** Options for the column picker: sys columns, tags, atoms, and a float series' last/min/max. */
function columnOptions(fields: RunTableField[]): PickerOption[] {
  const out: PickerOption[] = SYS_COLUMNS.filter((c) => c !== "sys/key" && c !== "sys/name").map((c) => ({ value: c, group: "sys" }));
  out.push({ value: "tags", group: "sys" });
  for (const f of fields) {
    for (const t of f.types) {
      if (t === "floatSeries") for (const fn of ["last", "min", "max"]) out.push({ value: `${fn}(${f.path})`, group: "series" });
      else if (t === "stringSeries") out.push({ value: f.path, group: "text series (last)" });
      else if (t !== "file" && t !== "fileSeries") out.push({ value: f.path, group: t });
    }
  }
  return out.filter((o, i) => out.findIndex((x) => x.value === o.value) === i);
}

function RunTableInner({ workspace, project, projectId, initialState, initialViewId = null, shareToken, readOnly, canWrite }: RunTableProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [view, setViewState] = useState<RunTableView>(() => initialState ?? RunTableView.parse({}));
  const [savedViewId, setSavedViewId] = useState<string | null>(initialViewId);
  const [marked, setMarked] = useState<Set<string>>(new Set());
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [sizing, setSizing] = useState<ColumnSizingState>(() => ({ ...initialState?.widths }));
  const [dragging, setDragging] = useState<string | null>(null);

  // The view lives in the URL too, so the address bar is always a link to what is shown.
  const setView = useCallback((next: RunTableView | ((v: RunTableView) => RunTableView), viewId?: string | null) => {
    setViewState((prev) => {
      const v = typeof next === "function" ? next(prev) : next;
      return v;
    });
    if (viewId !== undefined) setSavedViewId(viewId);
  }, []);
  useEffect(() => {
    const qs = viewToParams(view, savedViewId).toString();
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, "", url);
  }, [view, savedViewId]);

  const fieldsQuery = useQuery({ ...trpc.runsTable.fields.queryOptions({ workspace, project }), staleTime: 60_000 });
  const fields = useMemo(() => fieldsQuery.data?.fields ?? [], [fieldsQuery.data]);

  const input = useMemo(() => ({
    workspace, project, columns: view.columns, limit: PAGE,
    ...(view.filter.trim() ? { query: view.filter.trim() } : {}),
    ...(view.sort ? { sort: view.sort } : {}),
  }), [workspace, project, view.columns, view.filter, view.sort]);
  const queryKey = trpc.runsTable.query.infiniteQueryKey(input);
  const runs = useInfiniteQuery({
    ...trpc.runsTable.query.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    placeholderData: keepPreviousData,
    enabled: !view.groupBy,
    // Each page arrives whole and live patches replace rows: comparing thousands of loaded rows
    // deeply on every arrival (structural sharing) would cost a frame each time.
    structuralSharing: false,
  });
  const rows = useMemo(() => runs.data?.pages.flatMap((p) => p.runs) ?? [], [runs.data]);
  const filterError = queryErrorAt(runs.error?.message);

  const live = useLiveTable({ projectId, shareToken, queryKey, columns: view.columns });

  const bringInNewRuns = async () => {
    setMarked(new Set(live.takeNewRuns()));
    scroller.current?.scrollTo({ top: 0 });
    await queryClient.resetQueries({ queryKey });
  };

  // Column defs carry headers and sizes; the body renders cells itself (memoized rows, below).
  const columns = useMemo<ColumnDef<QueryRunsRow>[]>(() => [
    // Selecting is for comparing, which a share link's visitor cannot open.
    ...(readOnly ? [] : [{ id: "select", size: 36, enableResizing: false, enableSorting: false, header: "" } satisfies ColumnDef<QueryRunsRow>]),
    { id: "sys/key", header: "Run", size: view.widths["sys/key"] ?? 110 },
    { id: "sys/name", header: "Name", size: view.widths["sys/name"] ?? 180 },
    ...view.columns.filter((c) => !FIXED.includes(c)).map<ColumnDef<QueryRunsRow>>((c) => ({
      id: c, header: c, size: view.widths[c] ?? DEFAULT_WIDTH, minSize: 40, maxSize: 2000, accessorFn: (r) => r.values[c],
    })),
  ], [view.columns, view.widths, readOnly]);

  const sorting: SortingState = view.sort ? [{ id: view.sort.column, desc: view.sort.direction === "desc" }] : [];
  const table = useReactTable({
    // Headers, sizes and resizing only: rows are rendered by TableGrid, so no row model is built.
    data: NO_ROWS,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    columnResizeMode: "onChange",
    state: { sorting, columnSizing: sizing },
    onColumnSizingChange: setSizing,
  });

  // A finished resize goes into the view (and the URL); while dragging only local state changes.
  const resizing = table.getState().columnSizingInfo.isResizingColumn;
  useEffect(() => {
    if (resizing) return;
    setView((v) => {
      const widths = { ...v.widths };
      let changed = false;
      for (const [id, w] of Object.entries(sizing)) {
        if (id === "select") continue;
        const px = Math.round(w);
        if (widths[id] !== px) { widths[id] = px; changed = true; }
      }
      return changed ? { ...v, widths } : v;
    });
  }, [resizing, sizing, setView]);

  // Header click: ascending, descending, then back to the default order (newest first).
  const cycleSort = (id: string) => {
    if (id === "select") return;
    setView((v) => ({
      ...v,
      sort: v.sort?.column !== id ? { column: id, direction: "asc" } : v.sort.direction === "asc" ? { column: id, direction: "desc" } : null,
    }));
  };

  const moveColumn = (from: string, to: string) => {
    if (from === to || FIXED.includes(from) || FIXED.includes(to)) return;
    setView((v) => {
      const cols = v.columns.filter((c) => c !== from);
      cols.splice(cols.indexOf(to) + (v.columns.indexOf(from) < v.columns.indexOf(to) ? 1 : 0), 0, from);
      return { ...v, columns: cols };
    });
  };

  const scroller = useRef<HTMLDivElement>(null);
  const pressOnEdge = useRef(false);
  // Keyset infinite scroll: TableGrid asks for the next page when its last rendered row nears the end.
  const fetchState = useRef(runs);
  fetchState.current = runs;
  const loadMore = useCallback(() => {
    const r = fetchState.current;
    if (r.hasNextPage && !r.isFetchingNextPage && !r.isFetching) void r.fetchNextPage();
  }, []);
  const hrefFor = useCallback(
    (key: string) => (shareToken ? `/share/${shareToken}/runs/${encodeURIComponent(key)}` : `/${workspace}/${project}/runs/${encodeURIComponent(key)}`),
    [shareToken, workspace, project],
  );
  const toggleRow = useCallback((id: string) => setRowSelection((sel) => {
    const next = { ...sel };
    if (next[id]) delete next[id];
    else next[id] = true;
    return next;
  }), []);
  const allSelected = rows.length > 0 && rows.every((r) => rowSelection[r.id]);
  const toggleAll = () => setRowSelection(allSelected ? {} : Object.fromEntries(rows.map((r) => [r.id, true])));

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const options = useMemo(() => columnOptions(fields), [fields]);
  const atomOptions = useMemo<PickerOption[]>(() => [
    ...["sys/state", "sys/owner", "sys/custom_id", "sys/description"].map((c) => ({ value: c, group: "sys" })),
    ...fields.flatMap((f) => f.types.filter((t) => ["float", "string", "bool", "datetime"].includes(t)).slice(0, 1).map((t) => ({ value: f.path, group: t }))),
  ], [fields]);
  const numericOptions = useMemo<PickerOption[]>(() => fields.flatMap((f) => [
    ...(f.types.includes("float") ? [{ value: f.path, group: "float" }] : []),
    ...(f.types.includes("floatSeries") ? ["last", "min", "max"].map((fn) => ({ value: `${fn}(${f.path})`, group: "series" })) : []),
  ]), [fields]);

  const totalWidth = table.getTotalSize();
  const headers = table.getHeaderGroups()[0].headers;
  const layoutKey = headers.map((h) => `${h.column.id}:${h.getSize()}`).join("|");
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const layout = useMemo(() => headers.map((h) => ({ id: h.column.id, width: h.getSize() })), [layoutKey]);

  return (
    <section className="rt" aria-label="Runs">
      <div className="rt-toolbar">
        <FilterBar value={view.filter} fields={fields} error={filterError} onApply={(filter) => setView((v) => ({ ...v, filter }))} />
        <div className="rt-controls">
          <Picker label="Columns" options={options} selected={view.columns} onChange={(columns) => setView((v) => ({ ...v, columns }))} />
          <Picker label="Group by" single options={atomOptions} selected={view.groupBy ? [view.groupBy] : []} onChange={(g) => setView((v) => ({ ...v, groupBy: g[0] ?? null }))} />
          {view.groupBy && <Picker label="Aggregates" options={numericOptions} selected={view.aggregates} onChange={(aggregates) => setView((v) => ({ ...v, aggregates: aggregates.slice(0, 10) }))} />}
          {view.sort && (
            <span className="pill" title="Click a column header to change the order">
              sorted by {view.sort.column} {view.sort.direction === "asc" ? "↑" : "↓"}
            </span>
          )}
          <span className="spacer" />
          {!readOnly && (
            selectedIds.length >= 2 && selectedIds.length <= MAX_COMPARE
              ? <Link className="btn btn-small btn-primary" href={`/${workspace}/${project}/compare?runs=${selectedIds.join(",")}`}>Compare {selectedIds.length} runs</Link>
              : <button type="button" className="btn btn-small" disabled title="Select 2 to 100 runs">Compare{selectedIds.length ? ` (${selectedIds.length})` : ""}</button>
          )}
          {!readOnly && !shareToken && (
            <SavedViewsMenu projectId={projectId} view={view} savedViewId={savedViewId} canWrite={!!canWrite}
              onOpen={(state, id) => { setSizing({ ...state.widths }); setView(state, id); }} onSaved={(id) => setSavedViewId(id)} />
          )}
          {!readOnly && !shareToken && canWrite && (
            <ShareButton projectId={projectId} target={{ kind: "view", view: view as Extract<ShareTarget, { kind: "view" }>["view"] }} what="this table view" />
          )}
          <span className={`live-dot live-${live.status === "live" ? "live" : "denied"}`} title={`live: ${live.status}`} aria-label={`live: ${live.status}`} />
        </div>
      </div>

      {live.newRuns.length > 0 && !view.groupBy && (
        <button type="button" className="rt-new-runs" onClick={() => void bringInNewRuns()}>
          {live.newRuns.length === 1 ? "1 new run" : `${live.newRuns.length} new runs`} — show
        </button>
      )}

      {view.groupBy ? (
        <GroupTable workspace={workspace} project={project} view={view}
          onOpenGroup={(filter) => setView((v) => ({ ...v, groupBy: null, filter }))} />
      ) : (
        <TableGrid
          scroller={scroller}
          rows={rows}
          layout={layout}
          totalWidth={totalWidth}
          selection={rowSelection}
          marked={marked}
          hrefFor={hrefFor}
          onToggleRow={toggleRow}
          loadMore={loadMore}
          header={(
            <div className="rt-row" role="row">
              {headers.map((h) => {
                const id = h.column.id;
                const sorted = view.sort?.column === id ? view.sort.direction : null;
                const movable = !FIXED.includes(id);
                return (
                  <div
                    key={h.id}
                    role="columnheader"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                    className={`rt-th${dragging === id ? " dragging" : ""}`}
                    style={{ width: h.getSize() }}
                    data-column={id}
                    draggable={movable}
                    onDragStart={(e) => {
                      // A press on the resize edge resizes; it must not start dragging the column.
                      if (pressOnEdge.current) { e.preventDefault(); return; }
                      setDragging(id); e.dataTransfer.setData("text/plain", id); e.dataTransfer.effectAllowed = "move";
                    }}
                    onDragEnd={() => setDragging(null)}
                    onDragOver={(e) => { if (movable && dragging) e.preventDefault(); }}
                    onDrop={(e) => { e.preventDefault(); const from = e.dataTransfer.getData("text/plain") || dragging; if (from) moveColumn(from, id); setDragging(null); }}
                  >
                    {id === "select"
                      ? <input type="checkbox" aria-label="Select all loaded runs" checked={allSelected} onChange={toggleAll} />
                      : (
                        <button type="button" className="rt-sort" onClick={() => cycleSort(id)} title={`Sort by ${id}`}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {sorted && <span aria-hidden="true"> {sorted === "asc" ? "▲" : "▼"}</span>}
                        </button>
                      )}
                    {h.column.getCanResize() && (
                      <div
                        className={`rt-resizer${h.column.getIsResizing() ? " active" : ""}`}
                        role="separator"
                        aria-label={`Resize ${id}`}
                        onMouseDown={(e) => {
                          pressOnEdge.current = true;
                          window.addEventListener("mouseup", () => { pressOnEdge.current = false; }, { once: true });
                          e.preventDefault();
                          h.getResizeHandler()(e);
                        }}
                        onTouchStart={h.getResizeHandler()}
                        onDoubleClick={() => h.column.resetSize()}
                      />
                    )}
                  </div>
                );
              })}
            </div>
          )}
        >
          {runs.isLoading && <p className="muted rt-status">Loading runs…</p>}
          {!runs.isLoading && !runs.error && rows.length === 0 && <p className="muted rt-status">{view.filter ? "No run matches the filter." : "No runs yet. Runs logged with an API key appear here live."}</p>}
          {runs.error && !filterError && <p className="error-text rt-status" role="alert">{runs.error.message}</p>}
        </TableGrid>
      )}
      <p className="muted rt-foot" aria-live="polite">
        {view.groupBy ? "" : `${rows.length} run${rows.length === 1 ? "" : "s"} loaded${runs.hasNextPage ? " (scroll for more)" : ""}${runs.isFetchingNextPage ? " · loading…" : ""}`}
        {selectedIds.length > 0 && ` · ${selectedIds.length} selected`}
      </p>
    </section>
  );
}

type ColumnLayout = { id: string; width: number }[];

/**
 * The scrolling part: sticky header, virtual rows. Scrolling re-renders only this component;
 * the header element and unchanged rows (memoized) are skipped, so a frame renders just the
 * rows coming into view.
 */
function TableGrid({ scroller, rows, layout, totalWidth, selection, marked, hrefFor, onToggleRow, loadMore, header, children }: {
  scroller: RefObject<HTMLDivElement | null>; rows: QueryRunsRow[]; layout: ColumnLayout; totalWidth: number;
  selection: RowSelectionState; marked: Set<string>; hrefFor: (key: string) => string; onToggleRow: (id: string) => void;
  loadMore: () => void; header: ReactNode; children: ReactNode;
}) {
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Let React batch scroll updates instead of rendering synchronously inside each scroll event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    // A page and a half ahead, so a fast scroll rarely reaches the end of what is loaded.
    if (lastIndex >= rows.length - 150) loadMore();
  }, [lastIndex, rows.length, loadMore]);

  return (
    <div className="rt-scroll" ref={scroller} data-testid="run-table-scroll">
      <div className="rt-table" role="table" aria-rowcount={rows.length} style={{ width: totalWidth }}>
        <div className="rt-head" role="rowgroup">{header}</div>
        <div className="rt-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const run = rows[item.index];
            return run
              ? <BodyRow key={run.id} run={run} start={item.start} layout={layout} selected={!!selection[run.id]} isNew={marked.has(run.id)} href={hrefFor(run.key)} onToggle={onToggleRow} />
              : null;
          })}
        </div>
      </div>
      {children}
    </div>
  );
}

const BodyRow = memo(function BodyRow({ run, start, layout, selected, isNew, href, onToggle }: {
  run: QueryRunsRow; start: number; layout: ColumnLayout; selected: boolean; isNew: boolean; href: string; onToggle: (id: string) => void;
}) {
  return (
    <div
      role="row"
      data-run={run.key}
      className={`rt-row${selected ? " selected" : ""}${isNew ? " rt-row-new" : ""}`}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
    >
      {layout.map(({ id, width }) => {
        let content: ReactNode;
        let title: string | undefined;
        if (id === "select") content = <input type="checkbox" aria-label={`Select ${run.key}`} checked={selected} onChange={() => onToggle(run.id)} />;
        else if (id === "sys/key") content = <Link href={href} className="mono" prefetch={false}>{run.key}</Link>;
        else if (id === "sys/name") { content = <span>{run.name}</span>; title = run.name; }
        else { content = <Cell column={id} value={run.values[id]} />; title = cellText(id, run.values[id]); }
        return <div key={id} role="cell" className="rt-td" data-column={id} style={{ width }} title={title}>{content}</div>;
      })}
    </div>
  );
});
