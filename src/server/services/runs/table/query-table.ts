import { RunTableFieldsInput } from "@/contracts/run-table";
import { invalid } from "@/server/errors";
import type { Ctx } from "../../context";
import { parseInput } from "../../parse-input";
import { queryRuns } from "../query/query-runs";

/** The run table's page read: queryRuns with the project named beside the query's body. */
export async function queryRunTable(ctx: Ctx, input: unknown) {
  if (typeof input !== "object" || input === null) throw invalid("expected an object");
  // tRPC's infinite queries add `direction` beside `cursor`; pages only go forward.
  const { workspace, project, direction: _direction, ...body } = input as Record<string, unknown>;
  const ref = parseInput(RunTableFieldsInput, { workspace, project });
  return queryRuns(ctx, { ...ref, body });
}
