import { pgTable, uuid, text, timestamp, boolean, integer, jsonb, primaryKey, uniqueIndex, index } from "drizzle-orm/pg-core";

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Service accounts get a generated address under "service-accounts" so runs always show an owner.
  email: text("email").notNull(),
  name: text("name"),
  kind: text("kind", { enum: ["person", "service"] }).notNull().default("person"),
  // scrypt, "scrypt$N$r$p$salt$hash"; null for accounts that only sign in by SSO (and service accounts).
  passwordHash: text("password_hash"),
  isInstanceAdmin: boolean("is_instance_admin").notNull().default(false),
  // "<issuer> <sub>" of the linked OpenID Connect identity.
  oidcSubject: text("oidc_subject"),
  // The project a service account was created for; it is managed by that project's maintainers.
  serviceProjectId: uuid("service_project_id"),
  createdBy: uuid("created_by"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("users_email_key").on(t.email), uniqueIndex("users_oidc_subject_key").on(t.oidcSubject)]);

/** Instance-wide settings: the generated session secret, open sign-up. */
export const instanceSettings = pgTable("instance_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});

/** A copyable link that lets its holder create an account (or join with one) in a workspace. */
export const invites = pgTable("invites", {
  id: uuid("id").primaryKey().defaultRandom(),
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull(),
  role: text("role", { enum: ["admin", "member"] }).notNull(),
  email: text("email"),
  createdBy: uuid("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  acceptedBy: uuid("accepted_by"),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [uniqueIndex("invites_token_hash_key").on(t.tokenHash), index("invites_workspace_idx").on(t.workspaceId)]);

/** Failed sign-ins per account and per address, in fixed windows, shared by every process. */
export const signInFailures = pgTable("sign_in_failures", {
  bucket: text("bucket").primaryKey(), // "email:<address>" or "ip:<address>"
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  failures: integer("failures").notNull(),
});

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("workspaces_slug_key").on(t.slug)]);

export const workspaceMembers = pgTable("workspace_members", {
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })]);

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  // First characters of the secret, shown in lists so people can tell keys apart.
  prefix: text("prefix").notNull(),
  // sha256 of the whole secret: keys carry 256 random bits, so a fast hash is safe here.
  secretHash: text("secret_hash").notNull(),
  // null: every project the owner can reach.
  projectIds: uuid("project_ids").array(),
  readOnly: boolean("read_only").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [uniqueIndex("api_keys_secret_hash_key").on(t.secretHash)]);
