import { z } from "zod";
import { getMe } from "@/server/services/accounts/me";
import { instanceStatus, setOpenSignUp } from "@/server/services/accounts/instance-settings";
import { setupFirstAdmin } from "@/server/services/accounts/setup-first-admin";
import { signUp } from "@/server/services/accounts/sign-up";
import { changePassword, updateName } from "@/server/services/accounts/profile";
import { limitedProcedure, router, userProcedure } from "../trpc";

export const accountRouter = router({
  /** What the sign-in page needs to know before anyone is signed in. */
  status: limitedProcedure("lookup").query(({ ctx }) => instanceStatus(ctx.services, ctx.actor)),
  setup: limitedProcedure("password").input(z.unknown()).mutation(({ ctx, input }) => setupFirstAdmin(ctx.services, input)),
  signUp: limitedProcedure("password").input(z.unknown()).mutation(({ ctx, input }) => signUp(ctx.services.database, input)),
  me: userProcedure.query(({ ctx }) => getMe(ctx)),
  updateName: userProcedure.input(z.object({ name: z.unknown() })).mutation(({ ctx, input }) => updateName(ctx, input)),
  changePassword: userProcedure.input(z.unknown()).mutation(({ ctx, input }) => changePassword(ctx, input)),
  setOpenSignUp: userProcedure.input(z.object({ open: z.boolean() })).mutation(({ ctx, input }) => setOpenSignUp(ctx, input)),
});
