import { CreateSavedViewInput, DeleteSavedViewInput, GetSavedViewInput, ListSavedViewsInput, UpdateSavedViewInput } from "@/contracts/run-table";
import { createSavedView } from "@/server/services/saved-views/create-saved-view";
import { deleteSavedView } from "@/server/services/saved-views/delete-saved-view";
import { getSavedView } from "@/server/services/saved-views/get-saved-view";
import { listSavedViews } from "@/server/services/saved-views/list-saved-views";
import { updateSavedView } from "@/server/services/saved-views/update-saved-view";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** Named run-table views shared within a project. */
export const savedViewsRouter = router({
  /** Project readers. */
  list: userProcedure.input(typedInput(ListSavedViewsInput)).query(({ ctx, input }) => listSavedViews(ctx, input)),
  get: userProcedure.input(typedInput(GetSavedViewInput)).query(({ ctx, input }) => getSavedView(ctx, input)),
  /** Contributors and up (run.write). */
  create: userProcedure.input(typedInput(CreateSavedViewInput)).mutation(({ ctx, input }) => createSavedView(ctx, input)),
  update: userProcedure.input(typedInput(UpdateSavedViewInput)).mutation(({ ctx, input }) => updateSavedView(ctx, input)),
  /** The view's creator, or maintainers (project.manage). */
  delete: userProcedure.input(typedInput(DeleteSavedViewInput)).mutation(({ ctx, input }) => deleteSavedView(ctx, input)),
});
