import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { compareRouter } from "./routers/compare";
import { dashboardsRouter } from "./routers/dashboards";
import { invitesRouter } from "./routers/invites";
import { projectsRouter } from "./routers/projects";
import { runDataRouter } from "./routers/run-data";
import { runMediaRouter } from "./routers/run-media";
import { workspacesRouter } from "./routers/workspaces";
import { keysRouter } from "./routers/keys";
import { serviceAccountsRouter } from "./routers/service-accounts";
import { shareLinksRouter } from "./routers/share-links";
import { runsTableRouter } from "./routers/runs-table";
import { savedViewsRouter } from "./routers/saved-views";
import { createCallerFactory, router } from "./trpc";

/** Every tRPC procedure the browser can call; test/access-matrix.test.ts walks all of them. */
export const appRouter = router({
  account: accountRouter,
  keys: keysRouter,
  serviceAccounts: serviceAccountsRouter,
  shareLinks: shareLinksRouter,
  workspaces: workspacesRouter,
  projects: projectsRouter,
  invites: invitesRouter,
  audit: auditRouter,
  runData: runDataRouter,
  compare: compareRouter,
  dashboards: dashboardsRouter,
  runMedia: runMediaRouter,
  runsTable: runsTableRouter,
  savedViews: savedViewsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
