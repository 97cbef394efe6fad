import type {
  LivePoint, PointsAppendedEvent, RunCreatedEvent, RunFinishedEvent, RunUpdatedEvent, ServerEvents,
} from "@/contracts/events";
import type { AtomValue, RunState, SeriesSummary } from "@/contracts/runs";

/** Where events go: socket.io's server (or its Redis adapter) implements this. */
export interface EventSink {
  emit<E extends keyof ServerEvents>(rooms: string[], event: E, payload: Parameters<ServerEvents[E]>[0], except?: string[]): void;
}

import { projectRoom, runRoom } from "./socket-rooms";

const MAX_LIVE_POINTS = 1_000;

type Pending = {
  projectId: string;
  updated: RunUpdatedEvent | null;
  appended: PointsAppendedEvent | null;
  timer: NodeJS.Timeout | null;
};

/**
 * Every committed write is published here, and only here. Updates of one run are merged and
 * sent on average at most once per `intervalMs` (about 10 a second), so a run logging 10,000 points a
 * second costs viewers 10 messages, not 10,000.
 */
export class Publisher {
  private pending = new Map<string, Pending>();
  private sinks: EventSink[] = [];

  constructor(private readonly intervalMs = 100) {}

  attach(sink: EventSink): void {
    this.sinks.push(sink);
  }

  runCreated(e: RunCreatedEvent): void {
    this.send([projectRoom(e.projectId), runRoom(e.run.id)], "run.created", e);
  }

  runFinished(e: RunFinishedEvent): void {
    this.flushRun(e.runId);
    this.send([projectRoom(e.projectId), runRoom(e.runId)], "run.finished", e);
  }

  fieldsChanged(projectId: string, runId: string, fields: Record<string, AtomValue>, tagsAdded: string[], tagsRemoved: string[], state?: RunState): void {
    const p = this.slot(projectId, runId);
    p.updated ??= { projectId, runId, fields: {}, tagsAdded: [], tagsRemoved: [], modifiedAt: "" };
    if (state) p.updated.state = state;
    Object.assign(p.updated.fields, fields);
    for (const t of tagsAdded) {
      p.updated.tagsRemoved = p.updated.tagsRemoved.filter((x) => x !== t);
      if (!p.updated.tagsAdded.includes(t)) p.updated.tagsAdded.push(t);
    }
    for (const t of tagsRemoved) {
      p.updated.tagsAdded = p.updated.tagsAdded.filter((x) => x !== t);
      if (!p.updated.tagsRemoved.includes(t)) p.updated.tagsRemoved.push(t);
    }
    p.updated.modifiedAt = new Date().toISOString();
    this.schedule(runId, p);
  }

  pointsAppended(projectId: string, runId: string, path: string, summary: SeriesSummary, points: LivePoint[]): void {
    const p = this.slot(projectId, runId);
    p.appended ??= { projectId, runId, series: {} };
    const entry = (p.appended.series[path] ??= { summary, points: [], truncated: false });
    entry.summary = summary;
    if (!entry.truncated) {
      for (const pt of points) entry.points.push(pt);
      if (entry.points.length > MAX_LIVE_POINTS) {
        entry.points = entry.points.slice(-MAX_LIVE_POINTS);
        entry.truncated = true;
      }
    }
    this.schedule(runId, p);
  }

  /** Sends everything still waiting (used at shutdown and by tests). */
  flushAll(): void {
    for (const runId of [...this.pending.keys()]) this.flushRun(runId);
  }

  private slot(projectId: string, runId: string): Pending {
    let p = this.pending.get(runId);
    if (!p) {
      p = { projectId, updated: null, appended: null, timer: null };
      this.pending.set(runId, p);
    }
    return p;
  }

  private schedule(runId: string, p: Pending): void {
    if (p.timer) return;
    // A burst of two may go out back to back; on average one per interval (see `remember`).
    const wait = Math.max(0, (this.nextDue.get(runId) ?? 0) - this.intervalMs - Date.now());
    p.timer = setTimeout(() => this.flushRun(runId), wait);
    p.timer.unref();
  }

  private flushRun(runId: string): void {
    const p = this.pending.get(runId);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    const rooms = [projectRoom(p.projectId), runRoom(runId)];
    if (p.updated) this.send(rooms, "run.updated", p.updated);
    // Points go to the run's room only: project viewers need the summary, not every point.
    if (p.appended) {
      this.send([runRoom(runId)], "points.appended", p.appended);
      const summaries: PointsAppendedEvent = { projectId: p.projectId, runId, series: {} };
      for (const [path, s] of Object.entries(p.appended.series)) summaries.series[path] = { summary: s.summary, points: [], truncated: true };
      this.send([projectRoom(p.projectId)], "points.appended", summaries, [runRoom(runId)]);
    }
    this.pending.delete(runId);
    this.remember(runId);
  }

  // Per run, when the next send would be due at exactly one per interval (a token bucket of
  // two, as GCRA). Sending at most every interval after the last send made a run that writes
  // about once per interval wait for the worst jitter seen so far (up to a whole interval);
  // a credit of one send absorbs that jitter while keeping the average at one per interval.
  private nextDue = new Map<string, number>();

  private remember(runId: string): void {
    const now = Date.now();
    if (this.nextDue.size > 10_000) {
      for (const [id, t] of this.nextDue) if (t < now) this.nextDue.delete(id);
    }
    this.nextDue.set(runId, Math.max(this.nextDue.get(runId) ?? 0, now) + this.intervalMs);
  }

  private send<E extends keyof ServerEvents>(rooms: string[], event: E, payload: Parameters<ServerEvents[E]>[0], except?: string[]): void {
    for (const sink of this.sinks) sink.emit(rooms, event, payload, except);
  }
}
