import { pgTable, uuid, text, timestamp, integer, primaryKey, uniqueIndex } from "drizzle-orm/pg-core";
import { users, workspaces } from "./accounts";

export const projects = pgTable("projects", {
  id: uuid("id").primaryKey().defaultRandom(),
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  slug: text("slug").notNull(),
  // Short upper-case key used in run keys (IRIS-1, IRIS-2, ...).
  key: text("key").notNull(),
  name: text("name").notNull(),
  visibility: text("visibility", { enum: ["private", "workspace"] }).notNull().default("private"),
  // Role every workspace member has when visibility is "workspace" (at least viewer).
  defaultRole: text("default_role", { enum: ["owner", "maintainer", "contributor", "viewer"] }).notNull().default("viewer"),
  // Last run number handed out; incremented under the row lock when a run is created.
  runCounter: integer("run_counter").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("projects_workspace_slug_key").on(t.workspaceId, t.slug),
  uniqueIndex("projects_workspace_key_key").on(t.workspaceId, t.key),
]);

export const projectMembers = pgTable("project_members", {
  projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  role: text("role", { enum: ["owner", "maintainer", "contributor", "viewer"] }).notNull(),
}, (t) => [primaryKey({ columns: [t.projectId, t.userId] })]);
