import { z } from "zod";
import { text } from "./text";
import { RunState } from "./runs";

export const MAX_QUERY_COLUMNS = 100;

/** Body of POST /projects/{workspace}/{project}/runs/query. */
export const QueryRunsInput = z.object({
  query: text({ max: 10_000 }).optional(),
  sort: z.object({
    column: text({ min: 1, max: 1024, minMessage: "is empty" }),
    direction: z.enum(["asc", "desc"]).optional(),
  }).strict().optional(),
  columns: z.array(text({ max: 1024 })).max(MAX_QUERY_COLUMNS, `at most ${MAX_QUERY_COLUMNS} columns`).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: text({ max: 4096 }).optional(),
}).strict();
export type QueryRunsInput = z.infer<typeof QueryRunsInput>;

/** A column's value: an atom, a number or NaN/Infinity token, a series summary, tags or null. */
export type QueryRunsRow = {
  id: string;
  key: string;
  name: string;
  state: RunState;
  createdAt: string;
  values: Record<string, unknown>;
};

export type QueryRunsResult = { runs: QueryRunsRow[]; nextCursor: string | null };
