import { z } from "zod";
import { text } from "./text";

export const Uuid = z.uuid("is not an id");
export const KeyName = text({ min: 1, max: 100, trim: true });
export const ExpiresInDays = z.number().int().min(1).max(3650);

/** A personal API key: every project the owner can reach unless limited to some of them. */
export const CreatePersonalKeyInput = z.object({
  name: KeyName,
  projectIds: z.array(Uuid).min(1, "name at least one project, or leave it out for all").max(100).optional(),
  readOnly: z.boolean().default(false),
  expiresInDays: ExpiresInDays.optional(),
}).strict();
export type CreatePersonalKeyInput = z.infer<typeof CreatePersonalKeyInput>;

export const RevokeKeyInput = z.object({ keyId: Uuid }).strict();
export type RevokeKeyInput = z.infer<typeof RevokeKeyInput>;
