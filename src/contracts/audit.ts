import { z } from "zod";
import { Id } from "./workspaces";

/** One workspace's log (its projects' events included) or one project's. */
export const ListAuditInput = z.object({
  workspaceId: Id.optional(),
  projectId: Id.optional(),
  /** "project.member" finds project.member.add, .role and .remove. */
  action: z.string().max(100).optional(),
  /** A user id, API key id or e-mail address. */
  actor: z.string().max(254).optional(),
  targetKind: z.string().max(50).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
}).refine((v) => !!v.workspaceId !== !!v.projectId, { message: "give either workspaceId or projectId", path: ["workspaceId"] });
export type ListAuditInput = z.infer<typeof ListAuditInput>;
