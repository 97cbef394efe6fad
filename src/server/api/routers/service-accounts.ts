import {
  CreateServiceAccountInput, CreateServiceAccountKeyInput, ListServiceAccountsInput, RevokeServiceAccountKeyInput,
  ServiceAccountRef, UpdateServiceAccountInput,
} from "@/contracts/service-accounts";
import { createServiceAccount } from "@/server/services/service-accounts/create-service-account";
import { deleteServiceAccount } from "@/server/services/service-accounts/delete-service-account";
import { listServiceAccounts } from "@/server/services/service-accounts/list-service-accounts";
import { createServiceAccountKey, revokeServiceAccountKey } from "@/server/services/service-accounts/service-account-keys";
import { updateServiceAccount } from "@/server/services/service-accounts/update-service-account";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** A project's service accounts and their keys: its maintainers and owners (project.manage). */
export const serviceAccountsRouter = router({
  list: userProcedure.input(typedInput(ListServiceAccountsInput)).query(({ ctx, input }) => listServiceAccounts(ctx, input)),
  create: userProcedure.input(typedInput(CreateServiceAccountInput)).mutation(({ ctx, input }) => createServiceAccount(ctx, input)),
  update: userProcedure.input(typedInput(UpdateServiceAccountInput)).mutation(({ ctx, input }) => updateServiceAccount(ctx, input)),
  delete: userProcedure.input(typedInput(ServiceAccountRef)).mutation(({ ctx, input }) => deleteServiceAccount(ctx, input)),
  createKey: userProcedure.input(typedInput(CreateServiceAccountKeyInput)).mutation(({ ctx, input }) => createServiceAccountKey(ctx, input)),
  revokeKey: userProcedure.input(typedInput(RevokeServiceAccountKeyInput)).mutation(({ ctx, input }) => revokeServiceAccountKey(ctx, input)),
});
