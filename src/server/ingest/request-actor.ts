import type { IncomingMessage } from "node:http";
import { sessionActor } from "@/server/auth/session-actor";
import type { Actor } from "@/server/authz/actor";
import { authenticateKey } from "@/server/authz/authenticate-key";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { unauthorized } from "@/server/errors";
import type { Services } from "@/server/services/context";

/**
 * Who is calling /api/v1. Scripts send an API key. Browsers may also read (GET only, so a
 * cross-site form cannot write with someone's cookie): with their session cookie, or on a
 * share-link page with the link's token in `X-Cairn-Share` or `?share=` (for <img src>).
 */
export async function requestActor(services: Services, req: IncomingMessage, query: URLSearchParams): Promise<Actor> {
  if (req.headers.authorization || req.method !== "GET") return authenticateKey(services.database, req.headers.authorization);
  const share = req.headers["x-cairn-share"] ?? query.get("share");
  if (typeof share === "string" && share) return authenticateShare(services.database, share);
  const user = await sessionActor(services.database, services.auth.secret, req.headers.cookie);
  if (user) return user;
  throw unauthorized("missing API key: send Authorization: Bearer <key>");
}
