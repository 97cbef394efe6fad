import { GetDashboardInput, type Dashboard } from "@/contracts/dashboards";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { loadDashboard, toDashboard } from "./dashboard-rows";

/** One dashboard with its layout, and whether the caller may edit it. */
export async function getDashboard(ctx: Ctx, raw: unknown): Promise<Dashboard> {
  const input = parseInput(GetDashboardInput, raw);
  return toDashboard(ctx, await loadDashboard(ctx, input.dashboardId, "project.read"));
}
