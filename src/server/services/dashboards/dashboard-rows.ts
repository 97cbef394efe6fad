import { sql } from "drizzle-orm";
import { DashboardLayout, type Dashboard, type Widget } from "@/contracts/dashboards";
import { allows, authorize } from "@/server/authz/authorize";
import { iso } from "@/server/db/values";
import { invalid, notFound, hiddenAs } from "@/server/errors";
import { parseOperand, parseQuery } from "../runs/query/parse-query";
import { QueryError } from "../runs/query/ast";
import type { Ctx } from "../context";

export type DashboardRow = {
  id: string; project_id: string; name: string; layout: unknown; created_by: string | null; created_at: Date | string; updated_at: Date | string;
};

/** A dashboard by id, authorized for `permission` on its project (unknown or hidden: 404). */
export async function loadDashboard(ctx: Ctx, dashboardId: string, permission: "project.read" | "run.write"): Promise<DashboardRow> {
  const [row] = await ctx.database.rows<DashboardRow>(sql`
    SELECT id, project_id, name, layout, created_by, created_at, updated_at FROM dashboards WHERE id = ${dashboardId.toLowerCase()}`);
  if (!row) throw notFound("dashboard");
  await hiddenAs("dashboard", authorize(ctx.database, ctx.actor, permission, row.project_id));
  return row;
}

export async function toDashboard(ctx: Ctx, row: DashboardRow): Promise<Dashboard> {
  const raw = typeof row.layout === "string" ? JSON.parse(row.layout) : row.layout;
  // Layouts are validated on save; one written by an older version still reads as its widgets.
  const parsed = DashboardLayout.safeParse(raw);
  return {
    id: row.id, projectId: row.project_id, name: row.name,
    layout: parsed.success ? parsed.data : { version: 1, widgets: [] },
    createdBy: row.created_by, createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!,
    canEdit: await allows(ctx.database, ctx.actor, "run.write", row.project_id),
  };
}

/**
 * What zod cannot see: each widget's fields and query must parse in the run query language,
 * so a broken layout is refused when saved, with the widget and position named.
 */
export function checkLayoutGrammar(layout: DashboardLayout): void {
  layout.widgets.forEach((w, i) => checkWidgetGrammar(w, `layout.widgets.${i}`));
}

export function checkWidgetGrammar(w: Widget, at: string): void {
  {
    const check = (where: string, fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof QueryError) throw invalid(`${error.message} at position ${error.position}`, `${at}.${where}`);
        throw error;
      }
    };
    if (w.runs.query.trim()) check("runs.query", () => parseQuery(w.runs.query));
    check("runs.sort.column", () => parseOperand(w.runs.sort.column));
    if (w.kind === "scatter") {
      check("x", () => parseOperand(w.x));
      check("y", () => parseOperand(w.y));
    }
    if (w.kind === "parallel") w.dimensions.forEach((d, j) => check(`dimensions.${j}`, () => parseOperand(d)));
    if (w.kind === "table") w.columns.forEach((c, j) => check(`columns.${j}`, () => parseOperand(c)));
    if (w.kind === "metric") check("metric", () => parseOperand(w.metric));
  }
}

export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
};
