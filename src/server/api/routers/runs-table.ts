import { RunTableFieldsInput, RunTableGroupsInput, RunTableQueryInput } from "@/contracts/run-table";
import { invalid } from "@/server/errors";
import { queryRuns } from "@/server/services/runs/query/query-runs";
import { groupRuns } from "@/server/services/runs/table/group-runs";
import { listFields } from "@/server/services/runs/table/list-fields";
import { typedInput } from "../typed-input";
import { router, viewerProcedure } from "../trpc";

/** The project run table: project readers, and share links to a table view (authorize decides). */
export const runsTableRouter = router({
  /** One sorted, filtered page of runs with the asked-for columns (keyset: pass nextCursor back). */
  query: viewerProcedure.input(typedInput(RunTableQueryInput)).query(({ ctx, input }) => {
    if (typeof input !== "object" || input === null) throw invalid("expected an object");
    // tRPC's infinite queries add `direction` beside `cursor`; pages only go forward.
    const { workspace, project, direction: _direction, ...body } = input as Record<string, unknown>;
    if (typeof workspace !== "string" || typeof project !== "string") throw invalid("is required", "workspace");
    return queryRuns(ctx, { workspace, project, body });
  }),
  /** The project's distinct field paths and their types (column picker, filter autocomplete). */
  fields: viewerProcedure.input(typedInput(RunTableFieldsInput)).query(({ ctx, input }) => listFields(ctx, input)),
  /** Runs grouped by an atom's value: counts and min/mean/max of numeric columns per group. */
  groups: viewerProcedure.input(typedInput(RunTableGroupsInput)).query(({ ctx, input }) => groupRuns(ctx, input)),
});
