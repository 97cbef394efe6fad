"use client";

import { useEffect, useState } from "react";
import type { RunView } from "@/contracts/runs";
import { connectLive, keepJoined } from "@/features/live/socket";

export type LiveStatus = "connecting" | "live" | "offline" | "denied";

/**
 * A run kept current by its socket room: atoms, tags, series summaries and state are patched
 * from events (the server already coalesces them to about 10 a second per run).
 */
export function useLiveRun(initial: RunView, shareToken?: string): { run: RunView; status: LiveStatus } {
  const [run, setRun] = useState(initial);
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    const socket = connectLive(shareToken);
    const stop = keepJoined(socket, `run:${initial.id}`, setStatus);
    socket.on("run.updated", (e) => {
      if (e.runId !== initial.id) return;
      setRun((r) => {
        const fields: RunView["fields"] = { ...r.fields, ...e.fields, "sys/modification_time": e.modifiedAt };
        for (const [path, value] of Object.entries(e.fields)) if (value === null) delete fields[path];
        const tags = [...new Set([...r.tags.filter((t) => !e.tagsRemoved.includes(t)), ...e.tagsAdded])].sort();
        return { ...r, fields, tags, state: e.state ?? r.state };
      });
    });
    socket.on("points.appended", (e) => {
      if (e.runId !== initial.id) return;
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

  return { run, status };
}
