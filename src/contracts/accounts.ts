import { z } from "zod";

export const Email = z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "is not an e-mail address");
export const Password = z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters");
export const PersonName = z.string().trim().min(1, "is required").max(100);
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and \"-\" (at most 63)");
export const DisplayName = z.string().trim().min(1, "is required").max(100);

// `setupToken`: what the server printed at start (its set-up URL carries it as ?token=).
export const FirstAdminInput = z.object({
  name: PersonName, email: Email, password: Password, workspaceName: DisplayName, setupToken: z.string().max(200).optional(),
});
export const SignUpInput = z.object({ name: PersonName, email: Email, password: Password });
export const ChangePasswordInput = z.object({ current: z.string().max(256), next: Password });

/** "My Team!" → "my-team": the default slug for a name. */
export function slugify(name: string): string {
  const slug = name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63);
  return slug || "workspace";
}
