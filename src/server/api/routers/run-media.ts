import { ListFileEntriesInput, ListFilesInput, ReadFileHeadInput, ReadLinesInput, SearchLinesInput } from "@/contracts/run-media";
import { listFileEntries } from "@/server/services/files/list-file-entries";
import { listFiles } from "@/server/services/files/list-files";
import { readFileHead } from "@/server/services/files/read-file-head";
import { readStrings } from "@/server/services/series/read-strings";
import { searchStrings } from "@/server/services/series/search-strings";
import { typedInput } from "../typed-input";
import { router, viewerProcedure } from "../trpc";

/** The run page's console, gallery, charts and file browser: run-scoped reads (share links to the run reach them). */
export const runMediaRouter = router({
  files: viewerProcedure.input(typedInput(ListFilesInput)).query(({ ctx, input }) => listFiles(ctx, input)),
  fileEntries: viewerProcedure.input(typedInput(ListFileEntriesInput)).query(({ ctx, input }) => listFileEntries(ctx, input)),
  fileHead: viewerProcedure.input(typedInput(ReadFileHeadInput)).query(({ ctx, input }) => readFileHead(ctx, input)),
  lines: viewerProcedure.input(typedInput(ReadLinesInput)).query(({ ctx, input }) => readStrings(ctx, input)),
  searchLines: viewerProcedure.input(typedInput(SearchLinesInput)).query(({ ctx, input }) => searchStrings(ctx, input)),
});
