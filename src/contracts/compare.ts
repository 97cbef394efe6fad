import { z } from "zod";
import { text } from "./text";
import { Uuid } from "./keys";
import type { RunView } from "./runs";

export const MAX_COMPARE_RUNS = 100;
export const MAX_COMPARE_PATHS = 20;

/** The runs of a comparison page, named by id or key (IRIS-7), all of one project. */
export const CompareRunsInput = z.object({
  workspace: text({ min: 1, max: 100 }),
  project: text({ min: 1, max: 100 }),
  runs: z.array(text({ min: 1, max: 256, trim: true, minMessage: "is empty" }))
    .min(1, "name at least one run").max(MAX_COMPARE_RUNS, `at most ${MAX_COMPARE_RUNS} runs`),
}).strict();
export type CompareRunsInput = z.infer<typeof CompareRunsInput>;

export type CompareRunsResult = {
  project: { id: string; key: string; slug: string; workspaceSlug: string; name: string };
  runs: RunView[];
};

/** Float series of several runs at once, each as points or min/max/last buckets. */
export const CompareSeriesInput = z.object({
  runIds: z.array(Uuid).min(1, "name at least one run").max(MAX_COMPARE_RUNS, `at most ${MAX_COMPARE_RUNS} runs`),
  paths: z.array(text({ min: 1, max: 1024, minMessage: "is empty" })).min(1, "name at least one series").max(MAX_COMPARE_PATHS, `at most ${MAX_COMPARE_PATHS} series`),
  maxPoints: z.number().int().min(2).max(5_000).default(500),
  fromStep: z.number().optional(),
  toStep: z.number().optional(),
}).strict();
export type CompareSeriesInput = z.input<typeof CompareSeriesInput>;

/** One chart line's data: x is the step; buckets carry their exact min and max. */
export type ComparePoint = { x: number; y: number; min?: number; max?: number };

/** `points` is null when the run has no float series at that path. */
export type CompareSeriesResult = { series: { runId: string; path: string; points: ComparePoint[] | null; bucketed: boolean }[] };
