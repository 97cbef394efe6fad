import { z } from "zod";
import { RunState } from "./runs";

export const MAX_QUERY_COLUMNS = 100;

/** Body of POST /projects/{workspace}/{project}/runs/query. */
export const QueryRunsInput = z.object({
  query: z.string().optional(),
  sort: z.object({
    column: z.string().min(1, "is empty"),
    direction: z.enum(["asc", "desc"]).optional(),
  }).strict().optional(),
  columns: z.array(z.string()).max(MAX_QUERY_COLUMNS, `at most ${MAX_QUERY_COLUMNS} columns`).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(4096).optional(),
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
