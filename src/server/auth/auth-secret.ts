import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";

/**
 * The secret that signs session cookies. Taken from NEXTAUTH_SECRET when given; otherwise
 * generated once and kept in the database, so sessions survive restarts and every process
 * behind a load balancer signs with the same secret without any set-up.
 */
export async function ensureAuthSecret(database: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const fresh = randomBytes(32).toString("base64url");
  await database.rows(sql`
    INSERT INTO instance_settings (key, value) VALUES ('auth.secret', ${JSON.stringify(fresh)}::jsonb)
    ON CONFLICT (key) DO NOTHING`);
  const [row] = await database.rows<{ value: unknown }>(sql`SELECT value FROM instance_settings WHERE key = 'auth.secret'`);
  return String(row.value);
}
