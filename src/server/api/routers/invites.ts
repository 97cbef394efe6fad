import { AcceptInviteInput, CreateInviteInput, LookupInviteInput, RevokeInviteInput, WorkspaceRef } from "@/contracts/workspaces";
import { acceptInvite } from "@/server/services/invites/accept-invite";
import { createInvite } from "@/server/services/invites/create-invite";
import { listInvites } from "@/server/services/invites/list-invites";
import { lookupInvite } from "@/server/services/invites/lookup-invite";
import { revokeInvite } from "@/server/services/invites/revoke-invite";
import { typedInput } from "../typed-input";
import { limitedProcedure, router, userProcedure } from "../trpc";

/** Workspace invites: admins create, list and revoke; the link's holder looks it up and accepts. */
export const invitesRouter = router({
  create: userProcedure.input(typedInput(CreateInviteInput)).mutation(({ ctx, input }) => createInvite(ctx, input)),
  list: userProcedure.input(typedInput(WorkspaceRef)).query(({ ctx, input }) => listInvites(ctx, input)),
  revoke: userProcedure.input(typedInput(RevokeInviteInput)).mutation(({ ctx, input }) => revokeInvite(ctx, input)),
  lookup: limitedProcedure("lookup").input(typedInput(LookupInviteInput)).query(({ ctx, input }) => lookupInvite(ctx.services.database, input)),
  // Signed in: joins as that person. Not signed in: `account` creates one (share-link viewers count as not signed in).
  accept: limitedProcedure("password").input(typedInput(AcceptInviteInput)).mutation(({ ctx, input }) =>
    acceptInvite({ ...ctx.services, actor: ctx.actor?.kind === "user" ? ctx.actor : null }, input)),
});
