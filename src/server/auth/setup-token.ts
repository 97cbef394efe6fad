import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { SetupTokenConfig } from "@/server/env";

/**
 * The token first-admin set-up asks for, or null when set-up is open. A generated token is
 * derived from the session secret, so every process behind a load balancer and every restart
 * prints the same one without storing it; it is worthless once set-up is done.
 */
export function resolveSetupToken(config: SetupTokenConfig, authSecret: string): string | null {
  if (config.kind === "off") return null;
  if (config.kind === "given") return config.token;
  return createHmac("sha256", authSecret).update("cairn first-admin set-up").digest("base64url").slice(0, 32);
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function setupTokenMatches(expected: string, given: string): boolean {
  const digest = (v: string) => createHash("sha256").update(v, "utf8").digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The link printed at start while set-up is pending. */
export function setupUrl(publicUrl: string, token: string | null): string {
  const base = `${publicUrl.replace(/\/+$/, "")}/setup`;
  return token ? `${base}?token=${encodeURIComponent(token)}` : base;
}
