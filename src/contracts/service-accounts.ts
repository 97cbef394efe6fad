import { z } from "zod";
import { text } from "./text";
import { ExpiresInDays, KeyName, Uuid } from "./keys";

/** Roles a service account may hold: never owner, and never above its creator's own role. */
export const ServiceAccountRole = z.enum(["viewer", "contributor", "maintainer"]);
export type ServiceAccountRole = z.infer<typeof ServiceAccountRole>;

export const ServiceAccountName = text({ min: 1, max: 100, trim: true });

export const ListServiceAccountsInput = z.object({ projectId: Uuid }).strict();
export type ListServiceAccountsInput = z.infer<typeof ListServiceAccountsInput>;

export const CreateServiceAccountInput = z.object({ projectId: Uuid, name: ServiceAccountName, role: ServiceAccountRole }).strict();
export type CreateServiceAccountInput = z.infer<typeof CreateServiceAccountInput>;

export const UpdateServiceAccountInput = z.object({
  serviceAccountId: Uuid, name: ServiceAccountName.optional(), role: ServiceAccountRole.optional(),
}).strict();
export type UpdateServiceAccountInput = z.infer<typeof UpdateServiceAccountInput>;

export const ServiceAccountRef = z.object({ serviceAccountId: Uuid }).strict();
export type ServiceAccountRef = z.infer<typeof ServiceAccountRef>;

/** Keys of a service account are always limited to its project. */
export const CreateServiceAccountKeyInput = z.object({
  serviceAccountId: Uuid, name: KeyName, readOnly: z.boolean().default(false), expiresInDays: ExpiresInDays.optional(),
}).strict();
export type CreateServiceAccountKeyInput = z.infer<typeof CreateServiceAccountKeyInput>;

export const RevokeServiceAccountKeyInput = z.object({ serviceAccountId: Uuid, keyId: Uuid }).strict();
export type RevokeServiceAccountKeyInput = z.infer<typeof RevokeServiceAccountKeyInput>;
