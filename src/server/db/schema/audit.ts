import { pgTable, uuid, text, timestamp, jsonb, index, bigint } from "drizzle-orm/pg-core";

/**
 * Who changed access to what, written in the transaction that makes the change: memberships,
 * roles, visibility, API keys, service accounts, share links.
 */
export const auditEvents = pgTable("audit_events", {
  id: uuid("id").primaryKey().defaultRandom(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  // Write order: rows of one transaction can share a timestamp (PGlite's clock is coarse).
  seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
  workspaceId: uuid("workspace_id"),
  projectId: uuid("project_id"),
  actorKind: text("actor_kind").notNull(), // user | apiKey | system
  actorId: text("actor_id").notNull(), // user id, key id or the system job's name
  action: text("action").notNull(), // e.g. apiKey.create, apiKey.revoke
  targetKind: text("target_kind").notNull(),
  targetId: text("target_id").notNull(),
  before: jsonb("before"),
  after: jsonb("after"),
}, (t) => [
  index("audit_events_workspace_idx").on(t.workspaceId, t.createdAt),
  index("audit_events_project_idx").on(t.projectId, t.createdAt),
  index("audit_events_target_idx").on(t.targetKind, t.targetId),
]);
