import { CreateShareLinkInput, ListShareLinksInput, RevokeShareLinkInput } from "@/contracts/share-links";
import { createShareLink } from "@/server/services/share-links/create-share-link";
import { listShareLinks } from "@/server/services/share-links/list-share-links";
import { resolveShareLink } from "@/server/services/share-links/resolve-share-link";
import { revokeShareLink } from "@/server/services/share-links/revoke-share-link";
import { typedInput } from "../typed-input";
import { router, userProcedure, viewerProcedure } from "../trpc";

export const shareLinksRouter = router({
  /** Contributors and up (run.write). */
  list: userProcedure.input(typedInput(ListShareLinksInput)).query(({ ctx, input }) => listShareLinks(ctx, input)),
  create: userProcedure.input(typedInput(CreateShareLinkInput)).mutation(({ ctx, input }) => createShareLink(ctx, input)),
  /** Maintainers (project.manage) or the link's creator. */
  revoke: userProcedure.input(typedInput(RevokeShareLinkInput)).mutation(({ ctx, input }) => revokeShareLink(ctx, input)),
  /** The page opened through a link (token in the x-cairn-share header): what it shows. */
  resolve: viewerProcedure.query(({ ctx }) => resolveShareLink(ctx)),
});
