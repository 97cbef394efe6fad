import { z } from "zod";
import { DateTime, text } from "./text";
import { Id } from "./workspaces";

/** One workspace's log (its projects' events included) or one project's. */
export const ListAuditInput = z.object({
  workspaceId: Id.optional(),
  projectId: Id.optional(),
  /** "project.member" finds project.member.add, .role and .remove. */
  action: text({ max: 100 }).optional(),
  /** A user id, API key id or e-mail address. */
  actor: text({ max: 254 }).optional(),
  targetKind: text({ max: 50 }).optional(),
  from: DateTime.optional(),
  to: DateTime.optional(),
  cursor: text({ max: 200 }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
}).refine((v) => !!v.workspaceId !== !!v.projectId, { message: "give either workspaceId or projectId", path: ["workspaceId"] });
export type ListAuditInput = z.infer<typeof ListAuditInput>;
