import { CreateProjectInput, FindProjectInput, ProjectMemberInput, ProjectRef, RemoveProjectMemberInput, SetProjectAccessInput } from "@/contracts/projects";
import { WorkspaceRef } from "@/contracts/workspaces";
import { addProjectMember } from "@/server/services/projects/add-project-member";
import { createProject } from "@/server/services/projects/create-project";
import { deleteProject } from "@/server/services/projects/delete-project";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";
import { listProjectMembers } from "@/server/services/projects/list-project-members";
import { listWorkspaceProjects } from "@/server/services/projects/list-workspace-projects";
import { removeProjectMember } from "@/server/services/projects/remove-project-member";
import { setProjectAccess } from "@/server/services/projects/set-project-access";
import { setProjectMemberRole } from "@/server/services/projects/set-project-member-role";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** Projects, their visibility and members; every verb goes through authorize(). */
export const projectsRouter = router({
  list: userProcedure.input(typedInput(WorkspaceRef)).query(({ ctx, input }) => listWorkspaceProjects(ctx, input)),
  create: userProcedure.input(typedInput(CreateProjectInput)).mutation(({ ctx, input }) => createProject(ctx, input)),
  settings: userProcedure.input(typedInput(FindProjectInput)).query(({ ctx, input }) => getProjectSettings(ctx, input)),
  setAccess: userProcedure.input(typedInput(SetProjectAccessInput)).mutation(({ ctx, input }) => setProjectAccess(ctx, input)),
  members: userProcedure.input(typedInput(ProjectRef)).query(({ ctx, input }) => listProjectMembers(ctx, input)),
  addMember: userProcedure.input(typedInput(ProjectMemberInput)).mutation(({ ctx, input }) => addProjectMember(ctx, input)),
  setMemberRole: userProcedure.input(typedInput(ProjectMemberInput)).mutation(({ ctx, input }) => setProjectMemberRole(ctx, input)),
  removeMember: userProcedure.input(typedInput(RemoveProjectMemberInput)).mutation(({ ctx, input }) => removeProjectMember(ctx, input)),
  delete: userProcedure.input(typedInput(ProjectRef)).mutation(({ ctx, input }) => deleteProject(ctx, input)),
});
