"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { PointsAppendedEvent } from "@/contracts/events";
import type { RunView } from "@/contracts/runs";
import { connectLive, keepJoined } from "@/features/live/socket";

export type LiveStatus = "connecting" | "live" | "offline" | "denied";
export type AppendedSeries = PointsAppendedEvent["series"];
export type PointsListener = (series: AppendedSeries) => void;

/**
 * A run kept current by its socket room: atoms, tags, series summaries and state are patched
 * from events (the server already coalesces them to about 10 a second per run). Charts listen
 * for the points themselves through `onPoints`; `patch` applies a local edit at once (its
 * run.updated event arrives a moment later and changes nothing more).
 */
export function useLiveRun(initial: RunView, shareToken?: string): {
  run: RunView;
  status: LiveStatus;
  onPoints: (listener: PointsListener) => () => void;
  patch: (fn: (run: RunView) => RunView) => void;
} {
  const [run, setRun] = useState(initial);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const listeners = useRef(new Set<PointsListener>());

  useEffect(() => {
    const socket = connectLive(shareToken);
    const stop = keepJoined(socket, `run:${initial.id}`, setStatus);
    socket.on("run.updated", (e) => {
      if (e.runId !== initial.id) return;
      setRun((r) => {
        const fields: RunView["fields"] = { ...r.fields, ...e.fields, "sys/modification_time": e.modifiedAt };
        for (const [path, value] of Object.entries(e.fields)) if (value === null) delete fields[path];
        const tags = [...new Set([...r.tags.filter((t) => !e.tagsRemoved.includes(t)), ...e.tagsAdded])].sort();
        const name = typeof e.fields["sys/name"] === "string" ? e.fields["sys/name"] : r.name;
        const description = typeof e.fields["sys/description"] === "string" ? e.fields["sys/description"] : r.description;
        return { ...r, name, description, fields: { ...fields, "sys/tags": tags.join(",") }, tags, state: e.state ?? r.state };
      });
    });
    socket.on("points.appended", (e) => {
      if (e.runId !== initial.id) return;
      for (const listener of listeners.current) listener(e.series);
      setRun((r) => {
        const series = { ...r.series };
        for (const [path, s] of Object.entries(e.series)) series[path] = s.summary;
        return { ...r, series };
      });
    });
    socket.on("run.finished", (e) => {
      if (e.runId !== initial.id) return;
      setRun((r) => ({ ...r, state: e.state, fields: { ...r.fields, "sys/finished_time": e.finishedAt, "sys/state": e.state } }));
    });
    // A revoked share link or a removed member is disconnected by the server: say so.
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") setStatus("denied");
    });
    return () => {
      stop();
      socket.disconnect();
    };
  }, [initial.id, shareToken]);

  const onPoints = useCallback((listener: PointsListener) => {
    listeners.current.add(listener);
    return () => { listeners.current.delete(listener); };
  }, []);
  const patch = useCallback((fn: (r: RunView) => RunView) => setRun(fn), []);

  return { run, status, onPoints, patch };
}
