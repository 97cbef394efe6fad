import { sql } from "drizzle-orm";
import { QueryRunsInput, type QueryRunsResult } from "@/contracts/run-query";
import type { RunState } from "@/contracts/runs";
import { authorize } from "@/server/authz/authorize";
import { invalid } from "@/server/errors";
import { findProject } from "../../projects/find-project";
import type { Ctx } from "../../context";
import { parseInput } from "../../parse-input";
import { QueryError } from "./ast";
import { iso } from "@/server/db/values";
import { columnValues } from "./column-values";
import { compileFilter, type CompiledFilter } from "./compile-filter";
import { decodeCursor, encodeCursor } from "./cursor";
import { parseOperand, parseQuery } from "./parse-query";
import { readPage, type PageRow } from "./read-page";
import { sortKeyOf } from "./sort-key";

const DEFAULT_SORT = "sys/creation_time";

/** Runs of one project matching a query, one sorted page at a time. */
export async function queryRuns(
  ctx: Ctx,
  input: { workspace: string; project: string; body: unknown },
): Promise<QueryRunsResult> {
  const project = await findProject(ctx.database, input.workspace, input.project);
  await authorize(ctx.database, ctx.actor, "project.read", project.id);
  const body = parseInput(QueryRunsInput, input.body);

  const filter: CompiledFilter | null = body.query === undefined ? null : withQueryError("query", () => compileFilter(parseQuery(body.query!)));
  const sortColumn = body.sort?.column ?? DEFAULT_SORT;
  // With no sort asked for, newest first; an explicit column without a direction ascends.
  const direction = body.sort ? body.sort.direction ?? "asc" : "desc";
  const columns = (body.columns ?? []).map((name, i) => ({ name, operand: withQueryError(`columns[${i}]`, () => parseOperand(name)) }));
  const sortOperand = withQueryError("sort.column", () => parseOperand(sortColumn));
  const key = await withQueryError("sort.column", () => sortKeyOf(ctx.database, project.id, sortOperand));
  const sortId = `${direction} ${sortColumn}`;
  const cursor = body.cursor === undefined ? null : decodeCursor(body.cursor, { sort: sortId, type: key.type });
  if (filter) await checkRegexes(ctx, filter);

  const limit = body.limit ?? 50;
  let rows: PageRow[];
  try {
    rows = await readPage({ database: ctx.database, projectId: project.id, key, direction, filter, cursor, n: limit + 1 });
  } catch (error) {
    // A cursor's value is cast back to its type; a tampered one fails that cast.
    if (cursor && pgCode(error)?.startsWith("22")) throw invalid("is not a cursor this endpoint returned", "cursor");
    throw error;
  }

  const page = rows.slice(0, limit);
  const values = await columnValues(ctx.database, project.id, page, columns);
  const last = page[page.length - 1];
  return {
    runs: page.map((r) => ({
      id: r.id, key: r.key, name: r.name, state: r.state as RunState, createdAt: iso(r.created_at)!, values: values.get(r.id) ?? {},
    })),
    nextCursor: rows.length > limit ? encodeCursor({ sort: sortId, type: key.type, value: last.sort_value, id: last.id }) : null,
  };
}

/** Runs `fn`, turning a QueryError into a 400 that names the field and the position. */
function withQueryError<T>(where: string, fn: () => T): T {
  const rethrow = (error: unknown): never => {
    if (error instanceof QueryError) throw invalid(`${error.message} at position ${error.position}`, where);
    throw error;
  };
  try {
    const out = fn();
    return (out instanceof Promise ? out.catch(rethrow) : out) as T;
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * PostgreSQL's regex dialect is not JavaScript's, so each pattern is compiled by the database
 * itself before the real query, where a failure can still point at the pattern.
 */
async function checkRegexes(ctx: Ctx, filter: CompiledFilter): Promise<void> {
  for (const re of filter.regexes) {
    try {
      await ctx.database.rows(sql`SELECT ''::text ~ ${re.value}::text AS ok`);
    } catch (error) {
      if (pgCode(error) !== "2201B") throw error;
      throw invalid(`invalid regular expression (${pgMessage(error)}) at position ${re.pos}`, "query");
    }
  }
}

type PgError = { code?: string; message?: string; cause?: { code?: string; message?: string } };
const pgCode = (error: unknown) => (error as PgError)?.code ?? (error as PgError)?.cause?.code;
const pgMessage = (error: unknown) => (error as PgError)?.cause?.message ?? (error as PgError)?.message;
