import { pgTable, uuid, text, timestamp, jsonb, index, uniqueIndex } from "drizzle-orm/pg-core";
import { projects } from "./projects";

/**
 * A read-only link to one object that opens without an account. `runIds` lists the runs a
 * run or comparison link reveals; a view link (runIds null) reveals the project's runs as
 * its saved table state shows them, and nothing else (no members, no settings).
 */
export const shareLinks = pgTable("share_links", {
  id: uuid("id").primaryKey().defaultRandom(),
  projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull(),
  prefix: text("prefix").notNull(),
  targetKind: text("target_kind", { enum: ["run", "compare", "view"] }).notNull(),
  runIds: uuid("run_ids").array(),
  view: jsonb("view"),
  label: text("label").notNull().default(""),
  createdBy: uuid("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
}, (t) => [uniqueIndex("share_links_token_hash_key").on(t.tokenHash), index("share_links_project_idx").on(t.projectId, t.createdAt)]);
