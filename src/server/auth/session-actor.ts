import { sql } from "drizzle-orm";
import { getToken } from "next-auth/jwt";
import type { Actor } from "@/server/authz/actor";
import { TtlCache } from "@/server/authz/ttl-cache";
import type { Database } from "@/server/db/client";

// Whether a session's user still exists and is enabled; cleared with the other access caches.
const liveUsers = new TtlCache<string, boolean>(2_000);

export function forgetSessions(): void {
  liveUsers.clear();
}

function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed cookie is ignored, like a missing one.
    }
  }
  return out;
}

/**
 * The signed-in user behind a request's session cookie, or null. Works for Next's Request and
 * for socket.io's handshake alike, since both only need the Cookie header.
 */
export async function sessionActor(database: Database, secret: string, cookieHeader: string | null | undefined): Promise<(Actor & { kind: "user" }) | null> {
  const cookies = parseCookies(cookieHeader);
  if (!Object.keys(cookies).some((n) => n.includes("next-auth.session-token"))) return null;
  const token = await getToken({ req: { cookies, headers: {} } as never, secret });
  const userId = typeof token?.uid === "string" ? token.uid : null;
  if (!userId) return null;
  let live = liveUsers.get(userId);
  if (live === undefined) {
    const rows = await database.rows<{ ok: boolean }>(sql`
      SELECT (disabled_at IS NULL AND kind = 'person') AS ok FROM users WHERE id = ${userId}`);
    live = rows[0]?.ok ?? false;
    liveUsers.set(userId, live);
  }
  return live ? { kind: "user", userId } : null;
}
