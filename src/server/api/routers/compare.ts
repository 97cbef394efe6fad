import { CompareRunsInput, CompareSeriesInput } from "@/contracts/compare";
import { loadCompareRuns } from "@/server/services/compare/load-compare-runs";
import { readCompareSeries } from "@/server/services/compare/read-compare-series";
import { typedInput } from "../typed-input";
import { router, viewerProcedure } from "../trpc";

/** Comparison pages: readers of the project, or a share link holding every run asked for. */
export const compareRouter = router({
  runs: viewerProcedure.input(typedInput(CompareRunsInput)).query(({ ctx, input }) => loadCompareRuns(ctx, input)),
  series: viewerProcedure.input(typedInput(CompareSeriesInput)).query(({ ctx, input }) => readCompareSeries(ctx, input)),
});
