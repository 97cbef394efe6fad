import { z } from "zod";
import { text } from "./text";

export const RunState = z.enum(["running", "succeeded", "failed", "aborted"]);
export type RunState = z.infer<typeof RunState>;

export const FinalState = z.enum(["succeeded", "failed", "aborted"]);
export type FinalState = z.infer<typeof FinalState>;

export const AtomValue = z.union([z.number(), text({ max: 65536 }), z.boolean(), z.null()]);
export type AtomValue = z.infer<typeof AtomValue>;

export const Tag = text({ min: 1, max: 256, minMessage: "tag is empty", maxMessage: "tag is longer than 256 characters" });

export const CreateRunInput = z.object({
  customId: text({ min: 1, max: 256 }).optional(),
  name: text({ max: 1024 }).optional(),
  description: text({ max: 65536 }).optional(),
  tags: z.array(Tag).max(1000).optional(),
  fields: z.record(text({ max: 1024 }), AtomValue).optional(),
}).strict();
export type CreateRunInput = z.infer<typeof CreateRunInput>;

export const CreateRunResult = z.object({ id: z.string(), key: z.string(), url: z.string() });
export type CreateRunResult = z.infer<typeof CreateRunResult>;

export const FinishRunInput = z.object({ state: z.enum(FinalState.options, 'must be one of "succeeded", "failed", "aborted"') }).strict();
export type FinishRunInput = z.infer<typeof FinishRunInput>;

export const FieldType = z.enum(["float", "string", "bool", "datetime", "floatSeries", "stringSeries", "file", "fileSeries"]);
export type FieldType = z.infer<typeof FieldType>;

export const SeriesSummary = z.object({
  type: z.enum(["floatSeries", "stringSeries"]),
  count: z.number(),
  firstStep: z.number().nullable(),
  lastStep: z.number().nullable(),
  last: z.union([z.number(), z.string()]).nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type SeriesSummary = z.infer<typeof SeriesSummary>;

export const FileInfo = z.object({
  type: z.enum(["file", "fileSeries"]),
  sha256: z.string().nullable(),
  size: z.number().nullable(),
  contentType: z.string().nullable(),
  count: z.number().optional(),
  lastStep: z.number().nullable().optional(),
});
export type FileInfo = z.infer<typeof FileInfo>;

export type RunView = {
  id: string;
  key: string;
  name: string;
  description: string;
  state: RunState;
  tags: string[];
  fields: Record<string, AtomValue>;
  series: Record<string, SeriesSummary>;
  files: Record<string, FileInfo>;
};
