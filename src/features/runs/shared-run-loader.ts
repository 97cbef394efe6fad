import type { Actor } from "@/server/authz/actor";
import { AppError } from "@/server/errors";
import { getServices } from "@/server/registry";
import { shareActor } from "@/server/auth/page-actor";
import { resolveShareLink, type ResolvedShareLink } from "@/server/services/share-links/resolve-share-link";

/** A share link's actor and what it points at, or null when the link is revoked, expired or unknown. */
export async function openShareLink(token: string): Promise<{ actor: Actor & { kind: "share" }; link: ResolvedShareLink } | null> {
  const actor = await shareActor(token);
  if (!actor) return null;
  try {
    return { actor, link: await resolveShareLink({ ...getServices(), actor }) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}
