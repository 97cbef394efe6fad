import { RunSeriesInput, UpdateRunInput } from "@/contracts/run-data";
import { readRunSeries } from "@/server/services/run-data/read-run-series";
import { updateRun } from "@/server/services/run-data/update-run";
import { typedInput } from "../typed-input";
import { router, userProcedure, viewerProcedure } from "../trpc";

export const runDataRouter = router({
  /** Readers of the project, and share links that include the run. */
  series: viewerProcedure.input(typedInput(RunSeriesInput)).query(({ ctx, input }) => readRunSeries(ctx, input)),
  /** Contributors and up (run.write). */
  updateRun: userProcedure.input(typedInput(UpdateRunInput)).mutation(({ ctx, input }) => updateRun(ctx, input)),
});
