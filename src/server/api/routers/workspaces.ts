import { CreateWorkspaceInput, FindWorkspaceInput, RemoveWorkspaceMemberInput, RenameWorkspaceInput, SetWorkspaceRoleInput, WorkspaceRef } from "@/contracts/workspaces";
import { createWorkspace } from "@/server/services/workspaces/create-workspace";
import { getWorkspace } from "@/server/services/workspaces/get-workspace";
import { listMyWorkspaces } from "@/server/services/workspaces/list-my-workspaces";
import { listWorkspaceMembers } from "@/server/services/workspaces/list-workspace-members";
import { removeWorkspaceMember } from "@/server/services/workspaces/remove-workspace-member";
import { renameWorkspace } from "@/server/services/workspaces/rename-workspace";
import { setWorkspaceRole } from "@/server/services/workspaces/set-workspace-role";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** Workspaces and their members; people only (not API keys or share links). Outsiders get 404. */
export const workspacesRouter = router({
  list: userProcedure.query(({ ctx }) => listMyWorkspaces(ctx)),
  get: userProcedure.input(typedInput(FindWorkspaceInput)).query(({ ctx, input }) => getWorkspace(ctx, input)),
  create: userProcedure.input(typedInput(CreateWorkspaceInput)).mutation(({ ctx, input }) => createWorkspace(ctx, input)),
  rename: userProcedure.input(typedInput(RenameWorkspaceInput)).mutation(({ ctx, input }) => renameWorkspace(ctx, input)),
  members: userProcedure.input(typedInput(WorkspaceRef)).query(({ ctx, input }) => listWorkspaceMembers(ctx, input)),
  setRole: userProcedure.input(typedInput(SetWorkspaceRoleInput)).mutation(({ ctx, input }) => setWorkspaceRole(ctx, input)),
  removeMember: userProcedure.input(typedInput(RemoveWorkspaceMemberInput)).mutation(({ ctx, input }) => removeWorkspaceMember(ctx, input)),
});
