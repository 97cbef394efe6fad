import { z } from "zod";
import { text } from "./text";
import { DisplayName, Email, Password, PersonName, Slug } from "./accounts";

/** Ids are uuids; a malformed one is a 400 naming the field, never a database error. */
export const Id = z.guid("is not an id");

export const WorkspaceRole = z.enum(["member", "admin", "owner"]);
export type WorkspaceRole = z.infer<typeof WorkspaceRole>;

export const WorkspaceRef = z.object({ workspaceId: Id });
export type WorkspaceRef = z.infer<typeof WorkspaceRef>;

/** A workspace by id or by its slug (pages route by slug). */
export const FindWorkspaceInput = z.union([z.object({ workspaceId: Id }), z.object({ slug: Slug })]);
export type FindWorkspaceInput = z.infer<typeof FindWorkspaceInput>;

export const CreateWorkspaceInput = z.object({ name: DisplayName });
export type CreateWorkspaceInput = z.infer<typeof CreateWorkspaceInput>;

export const RenameWorkspaceInput = z.object({ workspaceId: Id, name: DisplayName });
export type RenameWorkspaceInput = z.infer<typeof RenameWorkspaceInput>;

export const SetWorkspaceRoleInput = z.object({ workspaceId: Id, userId: Id, role: WorkspaceRole });
export type SetWorkspaceRoleInput = z.infer<typeof SetWorkspaceRoleInput>;

export const RemoveWorkspaceMemberInput = z.object({ workspaceId: Id, userId: Id });
export type RemoveWorkspaceMemberInput = z.infer<typeof RemoveWorkspaceMemberInput>;

// Invites

export const InviteRole = z.enum(["member", "admin"]);
export type InviteRole = z.infer<typeof InviteRole>;

export const CreateInviteInput = z.object({
  workspaceId: Id,
  role: InviteRole.default("member"),
  /** Only this address may accept. */
  email: Email.optional(),
  expiresInDays: z.number().int().min(1).max(90).default(7),
});
export type CreateInviteInput = z.infer<typeof CreateInviteInput>;

export const RevokeInviteInput = z.object({ inviteId: Id });
export type RevokeInviteInput = z.infer<typeof RevokeInviteInput>;

export const InviteToken = text({ min: 20, max: 200 });
export const LookupInviteInput = z.object({ token: InviteToken });
export type LookupInviteInput = z.infer<typeof LookupInviteInput>;

/** Accept as the signed-in person, or with `account` create one (no session needed). */
export const AcceptInviteInput = z.object({
  token: InviteToken,
  account: z.object({ name: PersonName, email: Email, password: Password }).optional(),
});
export type AcceptInviteInput = z.infer<typeof AcceptInviteInput>;
