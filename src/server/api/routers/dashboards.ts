import {
  CreateDashboardInput, DeleteDashboardInput, GetDashboardInput, ListDashboardsInput, UpdateDashboardInput, WidgetDataInput,
} from "@/contracts/dashboards";
import { createDashboard } from "@/server/services/dashboards/create-dashboard";
import { deleteDashboard } from "@/server/services/dashboards/delete-dashboard";
import { getDashboard } from "@/server/services/dashboards/get-dashboard";
import { listDashboards } from "@/server/services/dashboards/list-dashboards";
import { updateDashboard } from "@/server/services/dashboards/update-dashboard";
import { widgetData } from "@/server/services/dashboards/widget-data";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** A project's dashboards: every reader sees them, contributors and up change them. */
export const dashboardsRouter = router({
  list: userProcedure.input(typedInput(ListDashboardsInput)).query(({ ctx, input }) => listDashboards(ctx, input)),
  get: userProcedure.input(typedInput(GetDashboardInput)).query(({ ctx, input }) => getDashboard(ctx, input)),
  widgetData: userProcedure.input(typedInput(WidgetDataInput)).query(({ ctx, input }) => widgetData(ctx, input)),
  create: userProcedure.input(typedInput(CreateDashboardInput)).mutation(({ ctx, input }) => createDashboard(ctx, input)),
  update: userProcedure.input(typedInput(UpdateDashboardInput)).mutation(({ ctx, input }) => updateDashboard(ctx, input)),
  delete: userProcedure.input(typedInput(DeleteDashboardInput)).mutation(({ ctx, input }) => deleteDashboard(ctx, input)),
});
