import { z } from "zod";
import { boundedJson, text } from "./text";
import { Uuid } from "./keys";
import { QueryRunsInput } from "./run-query";

const ProjectRef = { workspace: text({ min: 1, max: 100 }), project: text({ min: 1, max: 100 }) };
/** A column as the query language writes an operand: `params/lr`, `last(train/loss)`, `sys/state`, `tags`. */
const Column = text({ min: 1, max: 300, minMessage: "is empty" });

export const MAX_VIEW_COLUMNS = 100;
export const MAX_GROUP_AGGREGATES = 10;

/**
 * What a run table shows: saved in views, carried by the page's URL and by view share links.
 * Every part has a default, so an older or partial state still opens.
 */
export const RunTableView = z.object({
  columns: z.array(Column).max(MAX_VIEW_COLUMNS).default(["sys/state", "sys/owner", "sys/creation_time"]),
  /** Pixel widths by column; missing: the default width. */
  widths: z.record(text({ max: 300 }), z.number().int().min(40).max(2000)).default({}),
  sort: z.object({ column: Column, direction: z.enum(["asc", "desc"]) }).strict().nullable().default(null),
  filter: text({ max: 10_000 }).default(""),
  /** Group by an atom path (or a sys/ text column); null: a flat table. */
  groupBy: Column.nullable().default(null),
  /** Numeric columns whose min/mean/max each group shows. */
  aggregates: z.array(Column).max(MAX_GROUP_AGGREGATES).default([]),
  /** The charts shown above the table, as the chart panel lays them out (opaque here). */
  chart: boundedJson({ maxBytes: 64 * 1024 }).nullable().default(null),
});
export type RunTableView = z.infer<typeof RunTableView>;
export const defaultView = (): RunTableView => RunTableView.parse({});

/** One page of the table: the run query's body plus the project. */
export const RunTableQueryInput = QueryRunsInput.extend(ProjectRef).strict();
export type RunTableQueryInput = z.infer<typeof RunTableQueryInput>;

export const RunTableFieldsInput = z.object(ProjectRef).strict();
export type RunTableFieldsInput = z.infer<typeof RunTableFieldsInput>;

/** A path some run of the project has, with each type it has there. */
export type RunTableField = { path: string; types: string[] };
export type RunTableFields = { fields: RunTableField[]; truncated: boolean };

export const RunTableGroupsInput = z.object({
  ...ProjectRef,
  query: text({ max: 10_000 }).optional(),
  by: Column,
  aggregates: z.array(Column).max(MAX_GROUP_AGGREGATES, `at most ${MAX_GROUP_AGGREGATES} aggregates`).default([]),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();
export type RunTableGroupsInput = z.input<typeof RunTableGroupsInput>;

export type GroupAggregate = { min: number | string | null; mean: number | string | null; max: number | string | null; count: number };
/**
 * One value of the grouped-by path and its runs. `value` is null for runs without it; `filter`
 * is the condition that selects exactly this group's runs (to open them in the table).
 */
export type RunTableGroup = { value: string | number | boolean | null; type: string | null; count: number; filter: string; aggregates: Record<string, GroupAggregate> };
export type RunTableGroups = { groups: RunTableGroup[]; total: number; truncated: boolean };

export const SavedViewName = text({ min: 1, max: 100, trim: true, minMessage: "is empty", maxMessage: "at most 100 characters" });

export const ListSavedViewsInput = z.object({ projectId: Uuid }).strict();
export const GetSavedViewInput = z.object({ viewId: Uuid }).strict();
export const CreateSavedViewInput = z.object({ projectId: Uuid, name: SavedViewName, state: RunTableView }).strict();
export type CreateSavedViewInput = z.input<typeof CreateSavedViewInput>;
export const UpdateSavedViewInput = z.object({ viewId: Uuid, name: SavedViewName.optional(), state: RunTableView.optional() }).strict();
export type UpdateSavedViewInput = z.input<typeof UpdateSavedViewInput>;
export const DeleteSavedViewInput = z.object({ viewId: Uuid }).strict();

export type SavedView = {
  id: string; projectId: string; name: string; state: RunTableView;
  createdBy: string | null; createdByName: string | null; createdAt: string; updatedAt: string;
  /** Whether the asking person may delete it (its creator, or a maintainer). */
  canDelete: boolean;
};

/** The sys/ columns a run table offers (the run query language's sys names). */
export const SYS_COLUMNS = [
  "sys/id", "sys/key", "sys/name", "sys/description", "sys/state", "sys/custom_id", "sys/owner",
  "sys/creation_time", "sys/modification_time", "sys/ping_time", "sys/finished_time",
] as const;
