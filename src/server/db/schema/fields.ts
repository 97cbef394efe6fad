
import {
  pgTable, uuid, text, timestamp, bigserial, bigint, doublePrecision, boolean, smallint, integer,
  primaryKey, uniqueIndex, index,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { runs } from "./runs";

export const fieldTypes = [
  "float", "string", "bool", "datetime",
  "floatSeries", "stringSeries",
  "file", "fileSeries",
] as const;

/**
 * Every path of every run: atoms hold their value here, series their summary, files their
 * blob reference. One row per (run, path) makes "a path keeps its type" a unique index, and
 * lets the run table sort or filter 100k runs by any field through (project_id, path, value).
 * Series summary columns are deliberately left out of indexes: every append updates them, and
 * an unindexed update can stay on its page (HOT) instead of adding an entry to every index.
 */
export const fields = pgTable("fields", {
  // Internal surrogate key, so the points table stays narrow (8 bytes instead of run+path).
  id: bigserial("id", { mode: "number" }).primaryKey(),
  runId: uuid("run_id").notNull().references(() => runs.id, { onDelete: "cascade" }),
  projectId: uuid("project_id").notNull(),
  path: text("path").notNull(),
  type: text("type", { enum: fieldTypes }).notNull(),
  // Atoms (float/string/bool/datetime) and the text of a string series' last point.
  num: doublePrecision("num"),
  str: text("str"),
  bool: boolean("bool"),
  date: timestamp("date", { withTimezone: true, mode: "date" }),
  // Series summary, updated in the transaction that appends points.
  count: bigint("count", { mode: "number" }),
  firstStep: doublePrecision("first_step"),
  lastStep: doublePrecision("last_step"),
  last: doublePrecision("last"),
  min: doublePrecision("min"),
  max: doublePrecision("max"),
  // What the run table sorts a float series by: `last` as of at most about a second ago. The
  // writer copies it at most once a second per series (services/ingest/sort-refresh.ts), so
  // the other appends leave every indexed column unchanged and update the row in place (HOT).
  sortLast: doublePrecision("sort_last"),
  // Single file: blob reference.
  sha256: text("sha256"),
  size: bigint("size", { mode: "number" }),
  contentType: text("content_type"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("fields_run_path_key").on(t.runId, t.path),
  // The types of a path (a skip scan finds them in a few probes) and `path exists` filters.
  index("fields_project_path_type_idx").on(t.projectId, t.path, t.type),
  // Filters by value, and the run table read in value order, one index per sortable column:
  // partial, so each holds only the rows that can have that value, and run_id last, so a page
  // (value, run_id) after the cursor is a range of it.
  index("fields_project_path_num_idx").on(t.projectId, t.path, t.num, t.runId).where(sql`type = 'float'`),
  index("fields_project_path_str_idx").on(t.projectId, t.path, t.type, t.str, t.runId).where(sql`str IS NOT NULL`),
  index("fields_project_path_bool_idx").on(t.projectId, t.path, t.bool, t.runId).where(sql`type = 'bool'`),
  index("fields_project_path_date_idx").on(t.projectId, t.path, t.date, t.runId).where(sql`type = 'datetime'`),
  // Sorting by last(series), through the copy: indexing `last` itself would make every
  // append an out-of-place update (7-16% fewer small requests/s, docs/benchmarks.md).
  index("fields_project_path_sort_last_idx").on(t.projectId, t.path, t.sortLast, t.runId).where(sql`type = 'floatSeries'`),
]);

// Float series points: the big table. Steps strictly increase within a series.
export const floatPoints = pgTable("float_points", {
  seriesId: bigint("series_id", { mode: "number" }).notNull(),
  step: doublePrecision("step").notNull(),
  value: doublePrecision("value").notNull(),
  ts: bigint("ts", { mode: "number" }).notNull(), // epoch milliseconds
}, (t) => [primaryKey({ columns: [t.seriesId, t.step] })]);

export const stringPoints = pgTable("string_points", {
  seriesId: bigint("series_id", { mode: "number" }).notNull(),
  step: doublePrecision("step").notNull(),
  value: text("value").notNull(),
  ts: bigint("ts", { mode: "number" }).notNull(),
}, (t) => [primaryKey({ columns: [t.seriesId, t.step] })]);

/**
 * Precomputed aggregates of float series: level L covers blocks of 32^L consecutive points
 * (block_no = ordinal / 32^L). A chart read of any window combines whole blocks, so it reads
 * a bounded number of rows whatever the series' length, and min/max stay exact.
 */
export const seriesBlocks = pgTable("series_blocks", {
  seriesId: bigint("series_id", { mode: "number" }).notNull(),
  level: smallint("level").notNull(),
  blockNo: bigint("block_no", { mode: "number" }).notNull(),
  fromStep: doublePrecision("from_step").notNull(),
  toStep: doublePrecision("to_step").notNull(),
  min: doublePrecision("min"),
  max: doublePrecision("max"),
  last: doublePrecision("last").notNull(),
  count: integer("count").notNull(),
}, (t) => [
  primaryKey({ columns: [t.seriesId, t.level, t.blockNo] }),
  index("series_blocks_range_idx").on(t.seriesId, t.level, t.fromStep),
]);

export const fileEntries = pgTable("file_entries", {
  fieldId: bigint("field_id", { mode: "number" }).notNull().references(() => fields.id, { onDelete: "cascade" }),
  step: doublePrecision("step").notNull(),
  name: text("name"),
  description: text("description"),
  sha256: text("sha256").notNull(),
  size: bigint("size", { mode: "number" }).notNull(),
  contentType: text("content_type").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.fieldId, t.step] })]);

export const blobs = pgTable("blobs", {
  sha256: text("sha256").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

