import { z } from "zod";
import { DisplayName, Slug } from "./accounts";
import { Id } from "./workspaces";

export const ProjectRole = z.enum(["viewer", "contributor", "maintainer", "owner"]);
export type ProjectRole = z.infer<typeof ProjectRole>;

export const Visibility = z.enum(["private", "workspace"]);
export type Visibility = z.infer<typeof Visibility>;

export const ProjectRef = z.object({ projectId: Id });
export type ProjectRef = z.infer<typeof ProjectRef>;

/** A project by id or by workspace and project slugs (pages route by slug). */
export const FindProjectInput = z.union([z.object({ projectId: Id }), z.object({ workspace: Slug, project: Slug })]);
export type FindProjectInput = z.infer<typeof FindProjectInput>;

export const CreateProjectInput = z.object({
  workspaceId: Id,
  slug: Slug,
  name: DisplayName.optional(),
  visibility: Visibility.default("private"),
  defaultRole: ProjectRole.default("viewer"),
});
export type CreateProjectInput = z.infer<typeof CreateProjectInput>;

/** Either or both; a field left out keeps its value. */
export const SetProjectAccessInput = z.object({
  projectId: Id,
  visibility: Visibility.optional(),
  defaultRole: ProjectRole.optional(),
});
export type SetProjectAccessInput = z.infer<typeof SetProjectAccessInput>;

export const ProjectMemberInput = z.object({ projectId: Id, userId: Id, role: ProjectRole });
export type ProjectMemberInput = z.infer<typeof ProjectMemberInput>;

export const RemoveProjectMemberInput = z.object({ projectId: Id, userId: Id });
export type RemoveProjectMemberInput = z.infer<typeof RemoveProjectMemberInput>;
