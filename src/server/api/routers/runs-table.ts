import { RunTableFieldsInput, RunTableGroupsInput, RunTableQueryInput } from "@/contracts/run-table";
import { queryRunTable } from "@/server/services/runs/table/query-table";
import { groupRuns } from "@/server/services/runs/table/group-runs";
import { listFields } from "@/server/services/runs/table/list-fields";
import { typedInput } from "../typed-input";
import { router, viewerProcedure } from "../trpc";

/** The project run table: project readers, and share links to a table view (authorize decides). */
export const runsTableRouter = router({
  /** One sorted, filtered page of runs with the asked-for columns (keyset: pass nextCursor back). */
  query: viewerProcedure.input(typedInput(RunTableQueryInput)).query(({ ctx, input }) => queryRunTable(ctx, input)),
  /** The project's distinct field paths and their types (column picker, filter autocomplete). */
  fields: viewerProcedure.input(typedInput(RunTableFieldsInput)).query(({ ctx, input }) => listFields(ctx, input)),
  /** Runs grouped by an atom's value: counts and min/mean/max of numeric columns per group. */
  groups: viewerProcedure.input(typedInput(RunTableGroupsInput)).query(({ ctx, input }) => groupRuns(ctx, input)),
});
