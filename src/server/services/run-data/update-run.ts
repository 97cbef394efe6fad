import { sql } from "drizzle-orm";
import { UpdateRunInput, type UpdateRunResult } from "@/contracts/run-data";
import type { AtomValue } from "@/contracts/runs";
import { textArray } from "@/server/db/arrays";
import { invalid, notFound } from "@/server/errors";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";
import { authorizeRun } from "@/server/services/runs/authorize-run";

/**
 * Edits a run's header from its page: name, markdown description, tags. Contributors and up
 * (run.write). One transaction; afterwards viewers of the run and its project get run.updated
 * with sys/name and sys/description (when they changed) and the tags actually added or removed.
 */
export async function updateRun(ctx: Ctx, raw: unknown): Promise<UpdateRunResult> {
  const input = parseInput(UpdateRunInput, raw);
  const runId = input.runId.toLowerCase();
  const projectId = await authorizeRun(ctx, "run.write", runId);
  const add = [...new Set(input.addTags ?? [])];
  const remove = [...new Set(input.removeTags ?? [])];
  for (const [i, tag] of [...add, ...remove].entries()) {
    if (tag.includes("\u0000")) throw invalid("a tag cannot contain the NUL character", i < add.length ? "addTags" : "removeTags");
  }
  const both = add.find((t) => remove.includes(t));
  if (both !== undefined) throw invalid(`tag "${both}" is both added and removed`, "removeTags");
  if (input.name?.includes("\u0000") || input.description?.includes("\u0000")) throw invalid("text cannot contain the NUL character", input.name?.includes("\u0000") ? "name" : "description");

  const outcome = await inTransaction(ctx.database, async (tx) => {
    // Locks the run row first, so concurrent edits of one run apply one after the other.
    const [before] = await ctx.database.rows<{ name: string; description: string }>(sql`
      SELECT name, description FROM runs WHERE id = ${runId} AND project_id = ${projectId} FOR UPDATE`, tx);
    if (!before) throw notFound("run");
    const [after] = await ctx.database.rows<{ name: string; description: string; modified_at: Date | string }>(sql`
      UPDATE runs SET name = COALESCE(${input.name ?? null}, name), description = COALESCE(${input.description ?? null}, description),
        modified_at = now()
      WHERE id = ${runId} AND project_id = ${projectId} RETURNING name, description, modified_at`, tx);
    const added = add.length === 0 ? [] : await ctx.database.rows<{ tag: string }>(sql`
      INSERT INTO run_tags (run_id, tag, project_id)
      SELECT ${runId}::uuid, t, ${projectId}::uuid FROM unnest(${textArray(add)}::text::text[]) AS t
      ON CONFLICT DO NOTHING RETURNING tag`, tx);
    const removed = remove.length === 0 ? [] : await ctx.database.rows<{ tag: string }>(sql`
      DELETE FROM run_tags WHERE run_id = ${runId} AND project_id = ${projectId} AND tag = ANY(${textArray(remove)}::text::text[])
      RETURNING tag`, tx);
    const tags = await ctx.database.rows<{ tag: string }>(sql`
      SELECT tag FROM run_tags WHERE run_id = ${runId} AND project_id = ${projectId} ORDER BY tag`, tx);
    return { before, after, added: added.map((r) => r.tag), removed: removed.map((r) => r.tag), tags: tags.map((r) => r.tag) };
  });

  const fields: Record<string, AtomValue> = {};
  if (outcome.after.name !== outcome.before.name) fields["sys/name"] = outcome.after.name;
  if (outcome.after.description !== outcome.before.description) fields["sys/description"] = outcome.after.description;
  if (outcome.added.length > 0 || outcome.removed.length > 0) fields["sys/tags"] = outcome.tags.join(",");
  ctx.publisher.fieldsChanged(projectId, runId, fields, outcome.added, outcome.removed);
  return {
    name: outcome.after.name,
    description: outcome.after.description,
    tags: outcome.tags,
    modifiedAt: new Date(outcome.after.modified_at).toISOString(),
  };
}
