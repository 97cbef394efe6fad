import { pgTable, uuid, text, timestamp, integer, jsonb, primaryKey, uniqueIndex, index } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { projects } from "./projects";

export const runStates = ["running", "succeeded", "failed", "aborted"] as const;

export const runs = pgTable("runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  number: integer("number").notNull(),
  key: text("key").notNull(),
  customId: text("custom_id"),
  name: text("name").notNull().default(""),
  description: text("description").notNull().default(""),
  state: text("state", { enum: runStates }).notNull().default("running"),
  ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  modifiedAt: timestamp("modified_at", { withTimezone: true }).notNull().defaultNow(),
  lastPingAt: timestamp("last_ping_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
}, (t) => [
  uniqueIndex("runs_project_number_key").on(t.projectId, t.number),
  uniqueIndex("runs_project_custom_id_key").on(t.projectId, t.customId),
  // Newest first, the default sort, with id as the tie-break a page cursor needs.
  index("runs_project_created_idx").on(t.projectId, t.createdAt, t.id),
]);

export const runTags = pgTable("run_tags", {
  runId: uuid("run_id").notNull().references(() => runs.id, { onDelete: "cascade" }),
  tag: text("tag").notNull(),
  projectId: uuid("project_id").notNull(),
}, (t) => [
  primaryKey({ columns: [t.runId, t.tag] }),
  index("run_tags_project_tag_idx").on(t.projectId, t.tag),
]);

// One row per accepted ops batch or keyed file upload: a retry finds its row and writes nothing.
export const opBatches = pgTable("op_batches", {
  runId: uuid("run_id").notNull().references(() => runs.id, { onDelete: "cascade" }),
  batchId: text("batch_id").notNull(),
  applied: integer("applied").notNull(),
  // The answer given the first time, for requests whose answer is more than a count.
  result: jsonb("result"),
  // sha256 of an ops batch's canonical form: a retry must carry the same content, or it is a 409.
  digest: text("digest"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.runId, t.batchId] })]);
