import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { userIdOf } from "@/server/authz/actor";
import { CreateRunInput, type CreateRunResult } from "@/contracts/runs";
import { OpsError, parseOpsBatch, type OpsBatch } from "@/contracts/ops";
import { authorize } from "@/server/authz/authorize";
import type { Db } from "@/server/db/client";
import { AppError, invalid } from "@/server/errors";
import { applyGroup } from "../ingest/apply-group";
import { publishOutcome } from "../ingest/publish-outcome";
import { findProject } from "../projects/find-project";
import type { Ctx } from "../context";
import { parseInput } from "../parse-input";
import { runUrl } from "./run-url";

type RunRow = { id: string; key: string; name: string; state: string; created_at: Date };

/** Creates a run, or resumes the run with the same customId (its state goes back to running). */
export async function createRun(
  ctx: Ctx,
  input: { workspace: string; project: string; body: unknown },
): Promise<{ run: CreateRunResult; created: boolean }> {
  const project = await findProject(ctx.database, input.workspace, input.project);
  await authorize(ctx.database, ctx.actor, "run.write", project.id);
  const body = parseInput(CreateRunInput, input.body);
  const initial = initialOps(body);
  const ownerId = userIdOf(ctx.actor);

  const attempt = () => ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    let created = false;
    let row: RunRow | undefined;
    if (body.customId) {
      [row] = await ctx.database.rows<RunRow>(sql`
        UPDATE runs SET state = 'running', finished_at = NULL, modified_at = now(), last_ping_at = now(),
          name = COALESCE(${body.name ?? null}, name), description = COALESCE(${body.description ?? null}, description)
        WHERE project_id = ${project.id} AND custom_id = ${body.customId}
        RETURNING id, key, name, state, created_at`, tx);
    }
    if (!row) {
      const [counter] = await ctx.database.rows<{ run_counter: number; key: string }>(sql`
        UPDATE projects SET run_counter = run_counter + 1 WHERE id = ${project.id} RETURNING run_counter, key`, tx);
      [row] = await ctx.database.rows<RunRow>(sql`
        INSERT INTO runs (project_id, number, key, custom_id, name, description, owner_id)
        VALUES (${project.id}, ${counter.run_counter}, ${`${counter.key}-${counter.run_counter}`}, ${body.customId ?? null},
          ${body.name ?? ""}, ${body.description ?? ""}, ${ownerId})
        RETURNING id, key, name, state, created_at`, tx);
      created = true;
    }
    let outcome = null;
    if (initial.ops.length > 0) {
      [outcome] = await applyGroup(ctx.database.querier(tx), [{ runId: row.id, projectId: project.id, batch: initial, receivedAt: Date.now() }]);
      if (!outcome.ok) throw outcome.error;
    }
    return { row, created, outcome };
  });

  let result;
  try {
    result = await attempt();
  } catch (error) {
    // Two clients creating the same customId at once: the loser resumes the winner's run.
    if (body.customId && isUniqueViolation(error)) result = await attempt();
    else throw error;
  }
  const { row, created, outcome } = result;
  const tags = body.tags ?? [];
  if (created) {
    ctx.publisher.runCreated({
      projectId: project.id,
      run: { id: row.id, key: row.key, name: row.name, state: "running", createdAt: new Date(row.created_at).toISOString(), tags },
    });
  } else {
    ctx.publisher.fieldsChanged(project.id, row.id, {}, [], [], "running");
  }
  if (outcome?.ok && outcome.plan) publishOutcome(ctx.publisher, outcome.plan);
  return { run: { id: row.id, key: row.key, url: runUrl(ctx.publicUrl, project, row.key) }, created };
}

/** The create request's fields and tags, validated exactly as an ops batch would be. */
function initialOps(body: CreateRunInput): OpsBatch {
  const ops: unknown[] = Object.entries(body.fields ?? {}).map(([path, value]) => ({ assign: path, value }));
  if (body.tags?.length) ops.push({ addTags: body.tags });
  try {
    return parseOpsBatch({ batchId: `create-${randomUUID()}`, ops });
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    const m = /^ops\[(\d+)\]/.exec(error.where);
    const path = m ? Object.keys(body.fields ?? {})[Number(m[1])] : undefined;
    throw invalid(error.message.replace(/^ops\[\d+\][^:]*: /, ""), path !== undefined ? `fields["${path}"]` : "tags");
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code === "23505" && !(error instanceof AppError);
}
