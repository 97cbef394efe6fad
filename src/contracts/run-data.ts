import { z } from "zod";
import { text } from "./text";
import { Tag } from "./runs";

/** A window of one float series for a chart; maxPoints is about two per pixel of chart width. */
export const RunSeriesInput = z.object({
  runId: text({ min: 1, max: 64 }),
  path: text({ min: 1, max: 1024 }),
  fromStep: z.number().optional(),
  toStep: z.number().optional(),
  maxPoints: z.number().int().min(2).max(10_000).default(1_000),
}).strict();
export type RunSeriesInput = z.infer<typeof RunSeriesInput>;

/**
 * One point, or one bucket of consecutive points: `step`/`ts` are those of the bucket's last
 * point, `y` its value, `min`/`max` the bucket's exact extremes. Non-finite values are null.
 */
export type RunSeriesPoint = { step: number; ts: number; y: number | null; min?: number | null; max?: number | null };
export type RunSeriesResult = { path: string; bucketed: boolean; points: RunSeriesPoint[] };

/** Header edits of a run page: name, markdown description, tags added and removed. */
export const UpdateRunInput = z.object({
  runId: text({ min: 1, max: 64 }),
  name: text({ max: 1024, maxMessage: "name is longer than 1024 characters" }).optional(),
  description: text({ max: 65536, maxMessage: "description is longer than 65536 characters" }).optional(),
  addTags: z.array(Tag).max(1000).optional(),
  removeTags: z.array(Tag).max(1000).optional(),
}).strict();
export type UpdateRunInput = z.infer<typeof UpdateRunInput>;
export type UpdateRunResult = { name: string; description: string; tags: string[]; modifiedAt: string };
