import type { EncodedOp } from "./encode";

/** One ops request. Its body is built once and resent unchanged, with the same batchId, on every retry. */
export type Batch = { id: string; ops: EncodedOp[]; firstSeq: number; items: number; body: string };

export function makeBatch(id: string, ops: EncodedOp[], firstSeq: number): Batch {
  let items = 0;
  for (const op of ops) items += op.items;
  const body = `{"batchId":${JSON.stringify(id)},"ops":[${ops.map((o) => o.json).join(",")}]}`;
  return { id, ops, firstSeq, items, body };
}

/**
 * Halves of a refused batch. The server applies a batch atomically, so a refused one left
 * nothing behind and its halves are new batches; their ids derive from the parent so each
 * half is still retried under one id.
 */
export function splitBatch(batch: Batch): [Batch, Batch] | null {
  if (batch.ops.length < 2) return null;
  const mid = batch.ops.length >> 1;
  return [
    makeBatch(`${batch.id}-0`, batch.ops.slice(0, mid), batch.firstSeq),
    makeBatch(`${batch.id}-1`, batch.ops.slice(mid), batch.firstSeq),
  ];
}

export function describeBatch(batch: Batch): string {
  const shown = batch.ops.slice(0, 3).map((o) => o.label).join("; ");
  const more = batch.ops.length - 3;
  return more > 0 ? `${shown}; and ${more} more operations` : shown;
}
