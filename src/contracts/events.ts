import type { AtomValue, RunState, SeriesSummary } from "./runs";

/** Socket.io event names and payloads; rooms are `project:<id>` and `run:<id>`. */
export type RunCreatedEvent = {
  projectId: string;
  run: { id: string; key: string; name: string; state: RunState; createdAt: string; tags: string[] };
};

/** Atoms assigned (null: removed) and tags changed since the last event of this run. */
export type RunUpdatedEvent = {
  projectId: string;
  runId: string;
  fields: Record<string, AtomValue>;
  tagsAdded: string[];
  tagsRemoved: string[];
  modifiedAt: string;
  /** Present when the state changed (a run resumed through its customId). */
  state?: RunState;
};

export type LivePoint = { step: number; value: number | string; ts: number };

/** New points per series with the series' summary after them. `points` holds at most the
 * last 1,000 points of the interval; `truncated` tells a chart to refetch instead. */
export type PointsAppendedEvent = {
  projectId: string;
  runId: string;
  series: Record<string, { summary: SeriesSummary; points: LivePoint[]; truncated: boolean }>;
};

export type RunFinishedEvent = { projectId: string; runId: string; state: RunState; finishedAt: string };

export type ServerEvents = {
  "run.created": (e: RunCreatedEvent) => void;
  "run.updated": (e: RunUpdatedEvent) => void;
  "points.appended": (e: PointsAppendedEvent) => void;
  "run.finished": (e: RunFinishedEvent) => void;
};

export type JoinReply = { ok: true } | { ok: false; error: { code: string; message: string } };

export type ClientEvents = {
  join: (room: string, ack: (reply: JoinReply) => void) => void;
  leave: (room: string, ack?: (reply: JoinReply) => void) => void;
};
