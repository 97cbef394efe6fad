"use client";

import { useQueryClient, type InfiniteData, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { PointsAppendedEvent, RunFinishedEvent, RunUpdatedEvent } from "@/contracts/events";
import type { QueryRunsResult, QueryRunsRow } from "@/contracts/run-query";
import { connectLive, keepJoined } from "@/features/live/socket";

export type LiveStatus = "connecting" | "live" | "offline" | "denied";

/** Cell patches are applied at most this often: about 5 renders a second however busy the project. */
export const FLUSH_MS = 200;

type Patch = (row: QueryRunsRow, columns: string[]) => QueryRunsRow;
const SUMMARY = /^(last|min|max)\((.+)\)$/;

const updated = (e: RunUpdatedEvent): Patch => (row, columns) => {
  const values = { ...row.values };
  for (const c of columns) {
    if (Object.hasOwn(e.fields, c)) values[c] = e.fields[c];
    else if (c === "tags" && Array.isArray(values.tags)) {
      values.tags = [...new Set([...(values.tags as string[]).filter((t) => !e.tagsRemoved.includes(t)), ...e.tagsAdded])].sort();
    } else if (c === "sys/modification_time") values[c] = e.modifiedAt;
    else if (c === "sys/state" && e.state) values[c] = e.state;
  }
  return { ...row, state: e.state ?? row.state, values };
};

const appended = (e: PointsAppendedEvent): Patch => (row, columns) => {
  const values = { ...row.values };
  for (const c of columns) {
    const m = SUMMARY.exec(c);
    const path = m ? m[2] : c;
    const s = e.series[path];
    if (!s) continue;
    values[c] = m ? (s.summary as Record<string, unknown>)[m[1]] ?? null : s.summary;
  }
  return { ...row, values };
};

const finished = (e: RunFinishedEvent): Patch => (row, columns) => {
  const values = { ...row.values };
  if (columns.includes("sys/state")) values["sys/state"] = e.state;
  if (columns.includes("sys/finished_time")) values["sys/finished_time"] = e.finishedAt;
  return { ...row, state: e.state, values };
};

/**
 * The table's live side, through the project's socket room. New runs are only counted (rows do
 * not move under the pointer; the page brings them in on request). Updates of runs already
 * loaded are queued and patched into the cached pages together, at most every FLUSH_MS.
 */
export function useLiveTable(opts: { projectId: string; shareToken?: string; queryKey: QueryKey; columns: string[] }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [newRuns, setNewRuns] = useState<string[]>([]);
  const latest = useRef(opts);
  latest.current = opts;

  useEffect(() => {
    const pending = new Map<string, Patch[]>();
    const queue = (runId: string, patch: Patch) => {
      const list = pending.get(runId);
      if (list) list.push(patch);
      else pending.set(runId, [patch]);
    };
    const flush = () => {
      if (pending.size === 0) return;
      const { queryKey, columns } = latest.current;
      const patches = new Map(pending);
      pending.clear();
      queryClient.setQueryData<InfiniteData<QueryRunsResult>>(queryKey, (data) => {
        if (!data) return data;
        let changed = false;
        const pages = data.pages.map((page) => {
          if (!page.runs.some((r) => patches.has(r.id))) return page;
          changed = true;
          return { ...page, runs: page.runs.map((r) => (patches.get(r.id) ?? []).reduce((row, p) => p(row, columns), r)) };
        });
        return changed ? { ...data, pages } : data;
      });
    };
    const socket = connectLive(opts.shareToken);
    const stop = keepJoined(socket, `project:${opts.projectId}`, setStatus);
    socket.on("run.created", (e) => {
      if (e.projectId === opts.projectId) setNewRuns((ids) => (ids.includes(e.run.id) ? ids : [...ids, e.run.id]));
    });
    socket.on("run.updated", (e) => queue(e.runId, updated(e)));
    socket.on("points.appended", (e) => queue(e.runId, appended(e)));
    socket.on("run.finished", (e) => queue(e.runId, finished(e)));
    socket.on("disconnect", (reason) => { if (reason === "io server disconnect") setStatus("denied"); });
    const timer = setInterval(flush, FLUSH_MS);
    return () => {
      clearInterval(timer);
      stop();
      socket.disconnect();
    };
  }, [opts.projectId, opts.shareToken, queryClient]);

  /** Takes the new runs' ids, clearing the count (the caller refetches and marks them). */
  const takeNewRuns = () => {
    const ids = newRuns;
    setNewRuns([]);
    return ids;
  };
  return { status, newRuns, takeNewRuns };
}
