import { z } from "zod";
import { text } from "./text";

const RunId = text({ min: 1, max: 64 });
const FieldPath = text({ min: 1, max: 1024 });

/** Every file and file series of a run, for the file browser, gallery and chart sections. */
export const ListFilesInput = z.object({ runId: RunId }).strict();
export type ListFilesInput = z.infer<typeof ListFilesInput>;

export type RunFile = {
  path: string;
  type: "file" | "fileSeries";
  size: number | null;
  contentType: string | null;
  sha256: string | null;
  /** File series only: entries and their step range. */
  count: number | null;
  firstStep: number | null;
  lastStep: number | null;
};

/**
 * The entries of a file series in step order, within `afterStep` < step <= `toStep`: the first
 * `limit` of them, or with `fromEnd` the last `limit` (a gallery opens at the latest images;
 * `toStep` with `fromEnd` and limit 1 is "the entry at or before this step").
 */
export const ListFileEntriesInput = z.object({
  runId: RunId,
  path: FieldPath,
  afterStep: z.number().optional(),
  toStep: z.number().optional(),
  fromEnd: z.boolean().default(false),
  limit: z.number().int().min(1).max(5000).default(1000),
}).strict();
export type ListFileEntriesInput = z.input<typeof ListFileEntriesInput>;

export type FileEntry = { step: number; name: string | null; description: string | null; size: number; contentType: string; sha256: string };
/** `nextAfterStep`: pass as afterStep for the next page (null: no more); `hasEarlier`: entries before the page. */
export type FileEntriesPage = { runKey: string; entries: FileEntry[]; nextAfterStep: number | null; hasEarlier: boolean };

/** The first bytes of a file (or a file-series entry) as text, for previews. */
export const ReadFileHeadInput = z.object({
  runId: RunId,
  path: FieldPath,
  step: z.number().optional(),
  maxBytes: z.number().int().min(1).max(4 * 1024 * 1024).default(64 * 1024),
}).strict();
export type ReadFileHeadInput = z.input<typeof ReadFileHeadInput>;

export type FileHead = {
  contentType: string;
  size: number;
  /** The text of the first maxBytes (cut at a whole character); null for binary content. */
  text: string | null;
  truncated: boolean;
};

export type TextLine = { step: number; value: string; ts: number };

/**
 * Lines of a string series. Without `afterStep`: the latest `limit` lines before `beforeStep`
 * (all lines when it is absent), oldest first — a console tail and "load earlier". With
 * `afterStep`: the first `limit` lines after it — catching up after a gap in live events.
 */
export const ReadLinesInput = z.object({
  runId: RunId,
  path: FieldPath,
  beforeStep: z.number().optional(),
  afterStep: z.number().optional(),
  limit: z.number().int().min(1).max(10_000).default(500),
}).strict();
export type ReadLinesInput = z.input<typeof ReadLinesInput>;

export type LinesPage = { lines: TextLine[]; hasEarlier: boolean; hasLater: boolean };

/** Lines of a string series containing `query`, newest first, over the whole series. */
export const SearchLinesInput = z.object({
  runId: RunId,
  path: FieldPath,
  query: text({ min: 1, max: 1000, minMessage: "type something to search for" }),
  caseSensitive: z.boolean().default(false),
  beforeStep: z.number().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();
export type SearchLinesInput = z.input<typeof SearchLinesInput>;

export type SearchLinesPage = { matches: TextLine[]; nextBeforeStep: number | null };
