"use client";

import { useEffect, useRef, useState } from "react";
import type { PointsAppendedEvent, RunUpdatedEvent } from "@/contracts/events";
import { connectLive, keepJoined } from "@/features/live/socket";

export type MediaLive = {
  /** Registers a listener for the run's appended points; returns the unsubscribe. */
  onPoints: (fn: (e: PointsAppendedEvent) => void) => () => void;
  /** Bumped after every run.updated event (files are announced that way) and on reconnect. */
  changes: number;
  status: "connecting" | "live" | "offline" | "denied";
};

/**
 * The media sections' own room subscription (run:<id>): string points feed the console,
 * run.updated tells the file lists to refetch. Separate from the run page's connection so
 * the sections work wherever they are rendered.
 */
export function useMediaLive(runId: string, shareToken?: string): MediaLive {
  const listeners = useRef(new Set<(e: PointsAppendedEvent) => void>());
  const [changes, setChanges] = useState(0);
  const [status, setStatus] = useState<MediaLive["status"]>("connecting");
  const [onPoints] = useState(() => (fn: (e: PointsAppendedEvent) => void) => {
    listeners.current.add(fn);
    return () => {
      listeners.current.delete(fn);
    };
  });

  useEffect(() => {
    const socket = connectLive(shareToken);
    const stop = keepJoined(socket, `run:${runId}`, (s) => {
      setStatus(s);
      // Events may have been missed while offline: let readers catch up.
      if (s === "live") setChanges((n) => n + 1);
    });
    socket.on("points.appended", (e) => {
      if (e.runId === runId) for (const fn of listeners.current) fn(e);
    });
    socket.on("run.updated", (e: RunUpdatedEvent) => {
      if (e.runId === runId) setChanges((n) => n + 1);
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") setStatus("denied");
    });
    return () => {
      stop();
      socket.disconnect();
    };
  }, [runId, shareToken]);

  return { onPoints, changes, status };
}
