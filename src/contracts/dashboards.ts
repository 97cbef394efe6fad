import { z } from "zod";
import { DateTimeText, text } from "./text";
import { Uuid } from "./keys";

export const MAX_WIDGETS = 50;
export const MAX_WIDGET_RUNS = 100;

/**
 * A field of a run as the run query language names it: an atom path (`params/lr`), a series
 * summary (`last(train/loss)`, `min(…)`, `max(…)`), or a sys/ column. The server checks the
 * grammar when a layout is saved.
 */
const Operand = text({ min: 1, max: 1024, trim: true, minMessage: "is empty" });

/** Which runs a widget shows: those matching `query`, the first `limit` by `sort`. */
export const WidgetRuns = z.object({
  query: text({ max: 10_000 }).default(""),
  sort: z.object({ column: Operand, direction: z.enum(["asc", "desc"]).default("desc") }).strict()
    .default({ column: "sys/creation_time", direction: "desc" }),
  limit: z.number().int().min(1, "must be at least 1").max(MAX_WIDGET_RUNS, `must be at most ${MAX_WIDGET_RUNS}`).default(10),
}).strict();
export type WidgetRuns = z.infer<typeof WidgetRuns>;

const base = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
  title: text({ max: 200 }).default(""),
  /** Columns of a 4-column grid, and rows of a fixed height. */
  width: z.number().int().min(1, "must be 1 to 4 columns").max(4, "must be 1 to 4 columns").default(2),
  height: z.number().int().min(1, "must be 1 to 3 rows").max(3, "must be 1 to 3 rows").default(1),
  runs: WidgetRuns.default({ query: "", sort: { column: "sys/creation_time", direction: "desc" }, limit: 10 }),
};

export const Widget = z.discriminatedUnion("kind", [
  /** One float series overlaid across the runs. */
  z.object({ ...base, kind: z.literal("metric"), metric: text({ min: 1, max: 1024, trim: true, minMessage: "is empty" }), logScale: z.boolean().default(false) }).strict(),
  /** Each run a point at (x, y). */
  z.object({ ...base, kind: z.literal("scatter"), x: Operand, y: Operand }).strict(),
  /** Each run a line across the axes. */
  z.object({ ...base, kind: z.literal("parallel"), dimensions: z.array(Operand).min(2, "needs at least 2 axes").max(20, "at most 20 axes") }).strict(),
  /** A small table of the runs with these columns. */
  z.object({ ...base, kind: z.literal("table"), columns: z.array(Operand).min(1, "needs at least 1 column").max(20, "at most 20 columns") }).strict(),
], { error: (issue) => (issue.code === "invalid_union" ? "must be one of metric, scatter, parallel, table" : undefined) });
export type Widget = z.infer<typeof Widget>;
export type WidgetInput = z.input<typeof Widget>;
export type WidgetKind = Widget["kind"];

export const DashboardLayout = z.object({
  version: z.literal(1, "must be 1").default(1),
  widgets: z.array(Widget).max(MAX_WIDGETS, `at most ${MAX_WIDGETS} widgets`),
}).strict().superRefine((layout, ctx) => {
  const seen = new Set<string>();
  layout.widgets.forEach((w, i) => {
    if (seen.has(w.id)) ctx.addIssue({ code: "custom", message: `id "${w.id}" is used by another widget`, path: ["widgets", i, "id"] });
    seen.add(w.id);
  });
});
export type DashboardLayout = z.infer<typeof DashboardLayout>;

const Name = text({ min: 1, max: 100, trim: true });

export const ListDashboardsInput = z.object({ projectId: Uuid }).strict();
export const GetDashboardInput = z.object({ dashboardId: Uuid }).strict();
export const CreateDashboardInput = z.object({
  projectId: Uuid, name: Name, layout: DashboardLayout.default({ version: 1, widgets: [] }),
}).strict();
export const UpdateDashboardInput = z.object({
  dashboardId: Uuid, name: Name.optional(), layout: DashboardLayout.optional(),
  /** The updatedAt the editor started from: a save over someone else's newer save is a 409. */
  baseUpdatedAt: DateTimeText.optional(),
}).strict();
export const DeleteDashboardInput = z.object({ dashboardId: Uuid }).strict();
/** The data of one widget (saved or not yet saved) of a project's dashboard. */
export const WidgetDataInput = z.object({ projectId: Uuid, widget: Widget }).strict();

export type DashboardSummary = { id: string; name: string; widgets: number; createdBy: string | null; updatedAt: string };
export type Dashboard = {
  id: string; projectId: string; name: string; layout: DashboardLayout; createdBy: string | null; createdAt: string; updatedAt: string;
  canEdit: boolean;
};

export type WidgetRun = { id: string; key: string; name: string; state: string };
export type WidgetData =
  | { kind: "metric"; runs: WidgetRun[]; lines: { runId: string; points: { x: number; y: number; min?: number; max?: number }[] }[] }
  | { kind: "scatter" | "parallel" | "table"; runs: (WidgetRun & { values: Record<string, unknown> })[] };
