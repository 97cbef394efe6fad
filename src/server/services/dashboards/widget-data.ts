import { sql } from "drizzle-orm";
import { WidgetDataInput, type WidgetData } from "@/contracts/dashboards";
import { authorize } from "@/server/authz/authorize";
import { notFound } from "@/server/errors";
import { readCompareSeries } from "../compare/read-compare-series";
import { queryRuns } from "../runs/query/query-runs";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { checkWidgetGrammar } from "./dashboard-rows";

const METRIC_POINTS = 300;

/**
 * The data one widget draws: the runs its query selects (the first `limit` by its sort, through
 * the run query service), with the widget's fields, or with its metric's series.
 */
export async function widgetData(ctx: Ctx, raw: unknown): Promise<WidgetData> {
  const input = parseInput(WidgetDataInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "project.read", projectId);
  const widget = input.widget;
  checkWidgetGrammar(widget, "widget");
  const [slugs] = await ctx.database.rows<{ workspace: string; project: string }>(sql`
    SELECT w.slug AS workspace, p.slug AS project FROM projects p JOIN workspaces w ON w.id = p.workspace_id WHERE p.id = ${projectId}`);
  if (!slugs) throw notFound("project");

  const columns = widget.kind === "scatter" ? [widget.x, widget.y]
    : widget.kind === "parallel" ? widget.dimensions
      : widget.kind === "table" ? widget.columns : [];
  const page = await queryRuns(ctx, {
    workspace: slugs.workspace, project: slugs.project,
    body: {
      ...(widget.runs.query.trim() ? { query: widget.runs.query } : {}),
      sort: widget.runs.sort,
      limit: widget.runs.limit,
      ...(columns.length ? { columns: [...new Set(columns)] } : {}),
    },
  });
  const runs = page.runs.map((r) => ({ id: r.id, key: r.key, name: r.name, state: r.state }));
  if (widget.kind !== "metric") {
    return { kind: widget.kind, runs: page.runs.map((r) => ({ id: r.id, key: r.key, name: r.name, state: r.state, values: r.values })) };
  }
  if (runs.length === 0) return { kind: "metric", runs, lines: [] };
  const read = await readCompareSeries(ctx, { runIds: runs.map((r) => r.id), paths: [widget.metric], maxPoints: METRIC_POINTS });
  return {
    kind: "metric", runs,
    lines: read.series.filter((s) => s.points !== null).map((s) => ({ runId: s.runId, points: s.points! })),
  };
}
