"use client";

import { useEffect, useRef, useState } from "react";
import type { PointsAppendedEvent } from "@/contracts/events";
import { connectLive, keepJoined } from "@/features/live/socket";

export type MediaLive = {
  /** Registers a listener for the run's appended points; returns the unsubscribe. */
  onPoints: (fn: (e: PointsAppendedEvent) => void) => () => void;
  /** Bumped (at most about once a second) after run.updated events: uploads announce themselves that way. */
  fileChanges: number;
  /** Bumped when the room is joined again after a drop: events may have been missed. */
  rejoins: number;
  status: "connecting" | "live" | "offline" | "denied";
};

const FILE_REFRESH_MS = 1000;

/**
 * The media sections' own room subscription (run:<id>): string points feed the console,
 * run.updated tells the file lists to refetch. Separate from the run page's connection so
 * the sections work wherever they are rendered.
 */
export function useMediaLive(runId: string, shareToken?: string): MediaLive {
  const listeners = useRef(new Set<(e: PointsAppendedEvent) => void>());
  const [fileChanges, setFileChanges] = useState(0);
  const [rejoins, setRejoins] = useState(0);
  const [status, setStatus] = useState<MediaLive["status"]>("connecting");
  const [onPoints] = useState(() => (fn: (e: PointsAppendedEvent) => void) => {
    listeners.current.add(fn);
    return () => {
      listeners.current.delete(fn);
    };
  });

  useEffect(() => {
    const socket = connectLive(shareToken);
    let joined = false;
    const stop = keepJoined(socket, `run:${runId}`, (s) => {
      setStatus(s);
      if (s === "live") {
        if (joined) {
          setRejoins((n) => n + 1);
          setFileChanges((n) => n + 1);
        }
        joined = true;
      }
    });
    // Atoms assigned during training also arrive as run.updated: refetch the file list at most
    // about once a second (the last change always leads to a refetch).
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      timer = null;
      last = Date.now();
      setFileChanges((n) => n + 1);
    };
    socket.on("points.appended", (e) => {
      if (e.runId === runId) for (const fn of listeners.current) fn(e);
    });
    socket.on("run.updated", (e) => {
      if (e.runId !== runId || timer) return;
      const wait = last + FILE_REFRESH_MS - Date.now();
      if (wait <= 0) bump();
      else timer = setTimeout(bump, wait);
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") setStatus("denied");
    });
    return () => {
      if (timer) clearTimeout(timer);
      stop();
      socket.disconnect();
    };
  }, [runId, shareToken]);

  return { onPoints, fileChanges, rejoins, status };
}
