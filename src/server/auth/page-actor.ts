import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { authenticateShare } from "@/server/authz/authenticate-share";
import type { Actor } from "@/server/authz/actor";
import { getServices } from "@/server/registry";
import { needsSetup } from "@/server/services/accounts/instance-settings";
import { sessionActor } from "./session-actor";

/** The signed-in user for a server-rendered page, or null. */
export async function currentUser(): Promise<(Actor & { kind: "user" }) | null> {
  const services = getServices();
  const jar = await cookies();
  const header = jar.getAll().map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join("; ");
  return sessionActor(services.database, services.auth.secret, header);
}

/**
 * For pages that need a person: a fresh server sends the visitor to set-up, anyone else who
 * is not signed in to the sign-in page (coming back to `from` afterwards).
 */
export async function requireUser(from: string): Promise<Actor & { kind: "user" }> {
  const user = await currentUser();
  if (user) return user;
  if (await needsSetup(getServices().database)) redirect("/setup");
  redirect(`/signin?callbackUrl=${encodeURIComponent(from)}`);
}

/** A share link's actor for pages under /share/<token>; null when revoked, expired or unknown. */
export async function shareActor(token: string): Promise<(Actor & { kind: "share" }) | null> {
  try {
    return await authenticateShare(getServices().database, token);
  } catch {
    return null;
  }
}
