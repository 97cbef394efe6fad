import { accountRouter } from "./routers/account";
import { createCallerFactory, router } from "./trpc";

/** Every tRPC procedure the browser can call; test/access-matrix.test.ts walks all of them. */
export const appRouter = router({
  account: accountRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
