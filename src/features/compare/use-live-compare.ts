"use client";

import { useEffect, useRef, useState } from "react";
import type { PointsAppendedEvent } from "@/contracts/events";
import type { RunView } from "@/contracts/runs";
import { connectLive, keepJoined, type LiveSocket } from "@/features/live/socket";

export type PointsListener = (e: PointsAppendedEvent) => void;
export type LiveCompare = {
  runs: RunView[];
  status: "connecting" | "live" | "offline" | "denied";
  /** Charts subscribe to new points of the runs; returns the unsubscribe. */
  onPoints: (listener: PointsListener) => () => void;
};

/**
 * The compared runs, kept current over their run rooms (one socket, one room per run): atoms,
 * tags, state and series summaries are patched in place; new points go to subscribed charts.
 */
export function useLiveCompare(initial: RunView[], shareToken?: string): LiveCompare {
  const [runs, setRuns] = useState(initial);
  const [status, setStatus] = useState<LiveCompare["status"]>("connecting");
  const listeners = useRef(new Set<PointsListener>());
  const ids = initial.map((r) => r.id).join(",");

  useEffect(() => setRuns(initial), [initial]);

  useEffect(() => {
    const socket: LiveSocket = connectLive(shareToken);
    const joined = new Map<string, string>();
    const stops = ids.split(",").filter(Boolean).map((id) => keepJoined(socket, `run:${id}`, (s) => {
      joined.set(id, s);
      const all = [...joined.values()];
      setStatus(all.includes("denied") ? "denied" : all.includes("offline") ? "offline" : "live");
    }));
    const patch = (runId: string, fn: (r: RunView) => RunView) => setRuns((rs) => rs.map((r) => (r.id === runId ? fn(r) : r)));
    socket.on("run.updated", (e) => patch(e.runId, (r) => {
      const fields: RunView["fields"] = { ...r.fields, ...e.fields, "sys/modification_time": e.modifiedAt };
      for (const [path, value] of Object.entries(e.fields)) if (value === null) delete fields[path];
      const tags = [...new Set([...r.tags.filter((t) => !e.tagsRemoved.includes(t)), ...e.tagsAdded])].sort();
      return { ...r, fields: { ...fields, "sys/tags": tags.join(",") }, tags, state: e.state ?? r.state };
    }));
    socket.on("points.appended", (e) => {
      patch(e.runId, (r) => {
        const series = { ...r.series };
        for (const [path, s] of Object.entries(e.series)) series[path] = s.summary;
        return { ...r, series };
      });
      for (const l of listeners.current) l(e);
    });
    socket.on("run.finished", (e) => patch(e.runId, (r) => ({
      ...r, state: e.state, fields: { ...r.fields, "sys/finished_time": e.finishedAt, "sys/state": e.state },
    })));
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") setStatus("denied");
    });
    return () => {
      stops.forEach((stop) => stop());
      socket.disconnect();
    };
  }, [ids, shareToken]);

  const onPoints = useRef((listener: PointsListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }).current;
  return { runs, status, onPoints };
}
