import { z } from "zod";
import { text } from "./text";

export const Email = text({ max: 254, trim: true }).toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "is not an e-mail address");
export const Password = text({ min: 8, max: 256 });
export const PersonName = text({ min: 1, max: 100, trim: true });
export const Slug = z.string().max(63, "must be at most 63 characters").regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and \"-\" (at most 63)");
export const DisplayName = text({ min: 1, max: 100, trim: true });

// `setupToken`: what the server printed at start (its set-up URL carries it as ?token=).
export const FirstAdminInput = z.object({
  name: PersonName, email: Email, password: Password, workspaceName: DisplayName, setupToken: z.string().max(200).optional(),
});
export const SignUpInput = z.object({ name: PersonName, email: Email, password: Password });
export const ChangePasswordInput = z.object({ current: text({ max: 256 }), next: Password });

/** "My Team!" → "my-team": the default slug for a name. */
export function slugify(name: string): string {
  const slug = name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63);
  return slug || "workspace";
}
