import { CreatePersonalKeyInput, RevokeKeyInput } from "@/contracts/keys";
import { createPersonalKey } from "@/server/services/keys/create-personal-key";
import { listApiKeys } from "@/server/services/keys/list-api-keys";
import { revokeApiKey } from "@/server/services/keys/revoke-api-key";
import { parseInput } from "@/server/services/parse-input";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** A signed-in person's own API keys; API keys and share links cannot manage keys. */
export const keysRouter = router({
  list: userProcedure.query(({ ctx }) => listApiKeys(ctx, { userId: ctx.userId })),
  create: userProcedure.input(typedInput(CreatePersonalKeyInput)).mutation(({ ctx, input }) => createPersonalKey(ctx, input)),
  revoke: userProcedure.input(typedInput(RevokeKeyInput)).mutation(({ ctx, input }) => revokeApiKey(ctx, parseInput(RevokeKeyInput, input))),
});
