import { sql, type SQL } from "drizzle-orm";
import type { Querier } from "@/server/db/querier";
import { boolArray, floatArray, intArray, textArray } from "@/server/db/arrays";
import { AppError, conflict, notFound } from "@/server/errors";
import type { OpsBatch } from "@/contracts/ops";
import { foldIntoBlocks, type BlockAgg } from "@/server/services/series/blocks";
import { blockStatements } from "./write-blocks";
import { fieldKey, type FieldState } from "./field-state";
import { batchDigest, planBatch, type BatchPlan } from "./plan-batch";
import type { SortRefresh } from "./sort-refresh";

/** `digest`: batchDigest(batch), when the caller computed it already (outside the writer's transaction). */
export type PendingBatch = { runId: string; projectId: string; batch: OpsBatch; receivedAt: number; digest?: string };
export type BatchOutcome =
  | { ok: true; applied: number; duplicate: boolean; plan: BatchPlan | null }
  | { ok: false; error: AppError };

type FieldRow = {
  id: string | number; run_id: string; path: string; type: FieldState["type"];
  count: string | number | null; first_step: number | null; last_step: number | null;
  last: number | null; str: string | null; min: number | null; max: number | null;
};

/**
 * Applies a group of ops batches in the open transaction `tx` with a fixed number of
 * statements, whatever the group's size: this is what lets many small concurrent requests
 * share one commit. A batch that cannot apply is left out whole; the others go on.
 */
/**
 * `sortRefresh` decides which float series also get their indexed sort copy of `last`
 * (sort-refresh.ts); without one, every append copies it.
 */
export async function applyGroup(q: Querier, pending: PendingBatch[], sortRefresh?: SortRefresh): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = new Array(pending.length);
  const runIds = [...new Set(pending.map((p) => p.runId))].sort();
  const digests = pending.map((p) => p.digest ?? batchDigest(p.batch));

  // Three statements that PostgreSQL runs in order, sent together (one round trip):
  // 1. lock the runs (the lock that serialises writers of one run across processes, taken in
  //    id order so two processes never deadlock) and record the ping;
  // 2. claim the batch ids: a row that already exists marks a retry, which writes nothing
  //    (or a different batch reusing the id: its digest differs, and it is refused);
  // 3. read the fields the batches touch (after the lock, so no other writer changes them).
  const lock = q.rows<{ id: string }>(sql`
    UPDATE runs SET last_ping_at = now()
    WHERE id IN (SELECT id FROM runs WHERE id = ANY(${textArray(runIds)}::text::uuid[]) ORDER BY id FOR UPDATE)
    RETURNING id`);
  const claim = () => q.rows<{ run_id: string; batch_id: string }>(sql`
    INSERT INTO op_batches (run_id, batch_id, applied, digest)
    SELECT u.run_id, u.batch_id, u.applied, u.digest
    FROM unnest(${textArray(pending.map((p) => p.runId))}::text::uuid[], ${textArray(pending.map((p) => p.batch.batchId))}::text::text[],
      ${intArray(pending.map((p) => p.batch.ops.length))}::text::int4[], ${textArray(digests)}::text::text[]) AS u(run_id, batch_id, applied, digest)
    WHERE EXISTS (SELECT 1 FROM runs r WHERE r.id = u.run_id)
    ON CONFLICT (run_id, batch_id) DO NOTHING
    RETURNING run_id, batch_id`);
  const [locked, claimed, state] = q.pipelined
    ? await Promise.all([lock, claim(), loadFields(q, pending)])
    : [await lock, await claim(), await loadFields(q, pending)];
  const live = new Set(locked.map((r) => r.id));
  const fresh = new Set(claimed.map((r) => `${r.run_id}\u0000${r.batch_id}`));
  const seen = await storedDigests(q, pending.filter((p) => live.has(p.runId) && !fresh.has(`${p.runId}\u0000${p.batch.batchId}`)));

  const plans: BatchPlan[] = [];
  const unclaim: PendingBatch[] = [];
  pending.forEach((p, i) => {
    const key = `${p.runId}\u0000${p.batch.batchId}`;
    if (!live.has(p.runId)) {
      outcomes[i] = { ok: false, error: notFound("run") };
    } else if (!fresh.has(key)) {
      const stored = seen.get(key);
      // Rows without a digest (file uploads, batches from before digests) count as the same content.
      outcomes[i] = stored && stored !== digests[i]
        ? { ok: false, error: reusedId(p.batch.batchId, stored, digests[i]) }
        : { ok: true, applied: 0, duplicate: true, plan: null };
    } else {
      fresh.delete(key); // a second copy of the same batch in this group is a retry
      seen.set(key, digests[i]);
      try {
        const plan = planBatch(p.runId, p.projectId, p.batch, (k) => state.get(k) ?? null, p.receivedAt);
        for (const [k, v] of plan.touched) {
          if (v) state.set(k, v);
          else state.delete(k);
        }
        plans.push(plan);
        outcomes[i] = { ok: true, applied: plan.applied, duplicate: false, plan };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes[i] = { ok: false, error };
        unclaim.push(p); // a refused batch must not use up its id
      }
    }
  });
  const queue: Queue = [];
  if (unclaim.length > 0) {
    queue.push(sql`
      DELETE FROM op_batches b USING unnest(${textArray(unclaim.map((p) => p.runId))}::text::uuid[], ${textArray(unclaim.map((p) => p.batch.batchId))}::text::text[]) AS u(run_id, batch_id)
      WHERE b.run_id = u.run_id AND b.batch_id = u.batch_id`);
  }
  // Only batches that apply modify their run: a refused or duplicate one changes nothing but the ping.
  const modified = [...new Set(plans.map((p) => p.runId))];
  if (modified.length > 0) queue.push(sql`UPDATE runs SET modified_at = now() WHERE id = ANY(${textArray(modified)}::text::uuid[])`);
  await writePlans(q, plans, state, queue, sortRefresh);
  return outcomes;
}

/** The digests stored with batch ids that were already taken, by `run_id \0 batch_id`. */
async function storedDigests(q: Querier, taken: PendingBatch[]): Promise<Map<string, string | null>> {
  const seen = new Map<string, string | null>();
  if (taken.length === 0) return seen;
  const rows = await q.rows<{ run_id: string; batch_id: string; digest: string | null }>(sql`
    SELECT b.run_id, b.batch_id, b.digest FROM op_batches b
    JOIN unnest(${textArray(taken.map((p) => p.runId))}::text::uuid[], ${textArray(taken.map((p) => p.batch.batchId))}::text::text[]) AS u(run_id, batch_id)
      ON b.run_id = u.run_id AND b.batch_id = u.batch_id`);
  for (const r of rows) seen.set(`${r.run_id}\u0000${r.batch_id}`, r.digest);
  return seen;
}

/** Digests are named by their first 16 hex digits: enough to tell two batches apart, and no response carries a whole sha256. */
function reusedId(batchId: string, stored: string, given: string): AppError {
  return conflict(
    `${JSON.stringify(batchId)} was already used for a batch with other content (sha256 ${stored.slice(0, 16)}…; this one ${given.slice(0, 16)}…); send new data under a new batchId`,
    "batchId",
  );
}

async function loadFields(q: Querier, pending: PendingBatch[]): Promise<Map<string, FieldState>> {
  const keys = new Map<string, [string, string]>();
  for (const p of pending) {
    for (const op of p.batch.ops) {
      if (op.kind === "assign" || op.kind === "append") keys.set(fieldKey(p.runId, op.path), [p.runId, op.path]);
    }
  }
  const state = new Map<string, FieldState>();
  if (keys.size === 0) return state;
  const pairs = [...keys.values()];
  const rows = await q.rows<FieldRow>(sql`
    SELECT f.id, f.run_id, f.path, f.type, f.count, f.first_step, f.last_step, f.last, f.str, f.min, f.max
    FROM fields f
    JOIN unnest(${textArray(pairs.map((p) => p[0]))}::text::uuid[], ${textArray(pairs.map((p) => p[1]))}::text::text[]) AS u(run_id, path)
      ON f.run_id = u.run_id AND f.path = u.path`);
  for (const r of rows) {
    state.set(fieldKey(r.run_id, r.path), {
      id: Number(r.id),
      type: r.type,
      count: Number(r.count ?? 0),
      firstStep: r.first_step,
      lastStep: r.last_step,
      last: r.type === "stringSeries" ? r.str : r.last,
      min: r.min,
      max: r.max,
    });
  }
  return state;
}

const COPY_MIN_POINTS = 2_000;

/** Statements with no order among them, sent together once the ordered ones are done. */
type Queue = SQL[];

async function writePlans(q: Querier, plans: BatchPlan[], state: Map<string, FieldState>, queue: Queue, sortRefresh?: SortRefresh) {
  await writeAtoms(q, plans, queue);
  const ids = await createSeries(q, plans, state);
  await writePoints(q, plans, ids, state, queue, sortRefresh);
  writeTags(plans, queue);
  await q.all(queue);
}

async function writeAtoms(q: Querier, plans: BatchPlan[], queue: Queue) {
  // Last assignment of a path in the whole group wins, as it would one batch after another.
  const last = new Map<string, BatchPlan["atoms"] extends Map<string, infer W> ? W : never>();
  for (const plan of plans) for (const [k, w] of plan.atoms) last.set(k, w);
  const deletes = [...last.values()].filter((w) => w.type === null);
  const upserts = [...last.values()].filter((w) => w.type !== null);
  if (deletes.length > 0) {
    await q.rows(sql`
      DELETE FROM fields f USING unnest(${textArray(deletes.map((w) => w.runId))}::text::uuid[], ${textArray(deletes.map((w) => w.path))}::text::text[]) AS u(run_id, path)
      WHERE f.run_id = u.run_id AND f.path = u.path`);
  }
  if (upserts.length === 0) return;
  const col = <T>(f: (w: (typeof upserts)[number]) => T) => upserts.map(f);
  queue.push(sql`
    INSERT INTO fields (run_id, project_id, path, type, num, str, bool, date)
    SELECT * FROM unnest(
      ${textArray(col((w) => w.runId))}::text::uuid[], ${textArray(col((w) => w.projectId))}::text::uuid[],
      ${textArray(col((w) => w.path))}::text::text[], ${textArray(col((w) => w.type as string))}::text::text[],
      ${floatArray(col((w) => (w.type === "float" ? (w.value as number) : null)))}::text::float8[],
      ${textArray(col((w) => (w.type === "string" ? (w.value as string) : null)))}::text::text[],
      ${boolArray(col((w) => (w.type === "bool" ? (w.value as boolean) : null)))}::text::bool[],
      ${textArray(col((w) => (w.type === "datetime" ? (w.value as Date).toISOString() : null)))}::text::timestamptz[])
    ON CONFLICT (run_id, path) DO UPDATE SET
      type = excluded.type, num = excluded.num, str = excluded.str, bool = excluded.bool, date = excluded.date, updated_at = now()`);
}

async function createSeries(q: Querier, plans: BatchPlan[], state: Map<string, FieldState>): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const fresh = new Map<string, { runId: string; projectId: string; path: string; type: string }>();
  for (const plan of plans) {
    for (const w of plan.points) {
      const id = state.get(w.key)?.id ?? null;
      if (id !== null) ids.set(w.key, id);
      else fresh.set(w.key, { runId: w.runId, projectId: plan.projectId, path: w.path, type: w.type });
    }
  }
  if (fresh.size === 0) return ids;
  const rows = [...fresh.values()];
  const created = await q.rows<{ id: string | number; run_id: string; path: string }>(sql`
    INSERT INTO fields (run_id, project_id, path, type, count)
    SELECT r, p, path, t, 0 FROM unnest(${textArray(rows.map((r) => r.runId))}::text::uuid[], ${textArray(rows.map((r) => r.projectId))}::text::uuid[],
      ${textArray(rows.map((r) => r.path))}::text::text[], ${textArray(rows.map((r) => r.type))}::text::text[]) AS u(r, p, path, t)
    RETURNING id, run_id, path`);
  for (const r of created) {
    const key = fieldKey(r.run_id, r.path);
    ids.set(key, Number(r.id));
    const s = state.get(key);
    if (s) s.id = Number(r.id);
  }
  return ids;
}

async function writePoints(q: Querier, plans: BatchPlan[], ids: Map<string, number>, state: Map<string, FieldState>, queue: Queue, sortRefresh?: SortRefresh) {
  const f = { ids: [] as number[], steps: [] as number[], values: [] as number[], ts: [] as number[] };
  const s = { ids: [] as number[], steps: [] as number[], values: [] as string[], ts: [] as number[] };
  const blocks = new Map<string, BlockAgg>();
  const summaries = new Set<string>();
  for (const plan of plans) {
    for (const w of plan.points) {
      const id = ids.get(w.key)!;
      summaries.add(w.key);
      const target = w.type === "floatSeries" ? f : s;
      for (let i = 0; i < w.steps.length; i++) {
        target.ids.push(id);
        target.steps.push(w.steps[i]);
        (target.values as (number | string)[]).push(w.values[i]);
        target.ts.push(w.ts[i]);
      }
      if (w.type === "floatSeries") foldIntoBlocks(blocks, id, w.startOrdinal, w.steps, w.values as number[]);
    }
  }
  // COPY holds the connection alone and costs two round trips of its own, so it goes before
  // the queued statements, and only when the points are many enough to gain by it.
  if (f.ids.length >= COPY_MIN_POINTS && q.copyFloatPoints) {
    await q.copyFloatPoints(f);
  } else if (f.ids.length > 0) {
    queue.push(sql`
      INSERT INTO float_points (series_id, step, value, ts)
      SELECT * FROM unnest(${intArray(f.ids)}::text::int8[], ${floatArray(f.steps)}::text::float8[], ${floatArray(f.values)}::text::float8[], ${intArray(f.ts)}::text::int8[])`);
  }
  if (s.ids.length > 0) {
    queue.push(sql`
      INSERT INTO string_points (series_id, step, value, ts)
      SELECT * FROM unnest(${intArray(s.ids)}::text::int8[], ${floatArray(s.steps)}::text::float8[], ${textArray(s.values)}::text::text[], ${intArray(s.ts)}::text::int8[])`);
  }
  const sums = [...summaries].map((k) => ({ id: ids.get(k)!, s: state.get(k)! }));
  queue.push(...blockStatements(blocks, new Map(sums.map((x) => [x.id, x.s.count]))));
  if (sums.length === 0) return;
  const now = Date.now();
  const copy = sums.map((x) => x.s.type === "floatSeries" && (sortRefresh ? sortRefresh.copyNow(x.id, now) : true));
  queue.push(sql`
    UPDATE fields f SET count = u.count, first_step = u.first_step, last_step = u.last_step, last = u.last,
      str = u.str, min = u.min, max = u.max, updated_at = now(),
      sort_last = CASE WHEN u.copy THEN u.last ELSE f.sort_last END
    FROM unnest(${intArray(sums.map((x) => x.id))}::text::int8[], ${intArray(sums.map((x) => x.s.count))}::text::int8[],
      ${floatArray(sums.map((x) => x.s.firstStep))}::text::float8[], ${floatArray(sums.map((x) => x.s.lastStep))}::text::float8[],
      ${floatArray(sums.map((x) => (typeof x.s.last === "number" ? x.s.last : null)))}::text::float8[],
      ${textArray(sums.map((x) => (typeof x.s.last === "string" ? x.s.last : null)))}::text::text[],
      ${floatArray(sums.map((x) => x.s.min))}::text::float8[], ${floatArray(sums.map((x) => x.s.max))}::text::float8[],
      ${boolArray(copy)}::text::bool[])
      AS u(id, count, first_step, last_step, last, str, min, max, copy)
    WHERE f.id = u.id`);
}

function writeTags(plans: BatchPlan[], queue: Queue) {
  const final = new Map<string, { runId: string; projectId: string; tag: string; present: boolean }>();
  for (const plan of plans) {
    for (const [tag, present] of plan.tags) final.set(`${plan.runId}\u0000${tag}`, { runId: plan.runId, projectId: plan.projectId, tag, present });
  }
  const add = [...final.values()].filter((t) => t.present);
  const remove = [...final.values()].filter((t) => !t.present);
  if (add.length > 0) {
    queue.push(sql`
      INSERT INTO run_tags (run_id, tag, project_id)
      SELECT * FROM unnest(${textArray(add.map((t) => t.runId))}::text::uuid[], ${textArray(add.map((t) => t.tag))}::text::text[], ${textArray(add.map((t) => t.projectId))}::text::uuid[])
      ON CONFLICT DO NOTHING`);
  }
  if (remove.length > 0) {
    queue.push(sql`
      DELETE FROM run_tags t USING unnest(${textArray(remove.map((t) => t.runId))}::text::uuid[], ${textArray(remove.map((t) => t.tag))}::text::text[]) AS u(run_id, tag)
      WHERE t.run_id = u.run_id AND t.tag = u.tag`);
  }
}
