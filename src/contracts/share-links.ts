import { z } from "zod";
import { boundedJson, text } from "./text";
import { ExpiresInDays, Uuid } from "./keys";

/** A saved table view travels as opaque JSON; this bounds what a link may carry. */
export const MAX_SHARED_VIEW_BYTES = 16 * 1024;

export const SharedView = boundedJson({ maxBytes: MAX_SHARED_VIEW_BYTES }).refine((v) => v !== null, "must be a view, not null");

export const ShareTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("run"), runId: Uuid }).strict(),
  z.object({ kind: z.literal("compare"), runIds: z.array(Uuid).min(2, "a comparison needs at least 2 runs").max(100) }).strict(),
  z.object({ kind: z.literal("view"), view: SharedView }).strict(),
]);
export type ShareTarget = z.infer<typeof ShareTarget>;

export const CreateShareLinkInput = z.object({
  projectId: Uuid,
  target: ShareTarget,
  label: text({ max: 200, trim: true }).default(""),
  expiresInDays: ExpiresInDays.optional(),
}).strict();
export type CreateShareLinkInput = z.infer<typeof CreateShareLinkInput>;

export const ListShareLinksInput = z.object({ projectId: Uuid }).strict();
export type ListShareLinksInput = z.infer<typeof ListShareLinksInput>;

export const RevokeShareLinkInput = z.object({ linkId: Uuid }).strict();
export type RevokeShareLinkInput = z.infer<typeof RevokeShareLinkInput>;
