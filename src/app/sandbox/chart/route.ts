import { sandboxPage } from "@/server/sandbox/sandbox-page";

/** The frame an uploaded ECharts option or Plotly figure renders in (see sandbox-page.ts). */
export function GET(): Response {
  return sandboxPage("chart");
}
