import { sql } from "drizzle-orm";
import { iso } from "@/server/db/values";
import type { AtomValue, FieldType, FileInfo, RunState, RunView, SeriesSummary } from "@/contracts/runs";
import { notFound } from "@/server/errors";
import { jsonNumber, jsonNumberOrNull } from "@/server/realtime/json-number";
import type { Ctx } from "../context";
import { authorizeRun } from "@/server/services/runs/authorize-run";

type FieldRow = {
  path: string; type: FieldType; num: number | null; str: string | null; bool: boolean | null; date: Date | string | null;
  count: string | number | null; first_step: number | null; last_step: number | null; last: number | null;
  min: number | null; max: number | null; sha256: string | null; size: string | number | null; content_type: string | null;
};

type RunRow = {
  id: string; key: string; name: string; description: string; state: RunState; owner_email: string | null;
  created_at: Date; modified_at: Date; last_ping_at: Date; finished_at: Date | null; custom_id: string | null;
};

/** The whole field tree of a run: atoms, series summaries, files, tags and the sys/ namespace. */
export async function getRun(ctx: Ctx, input: { runId: string }): Promise<RunView> {
  const projectId = await authorizeRun(ctx, "project.read", input.runId);
  const [run] = await ctx.database.rows<RunRow>(sql`
    SELECT r.id, r.key, r.name, r.description, r.state, u.email AS owner_email, r.created_at, r.modified_at,
      r.last_ping_at, r.finished_at, r.custom_id
    FROM runs r LEFT JOIN users u ON u.id = r.owner_id
    WHERE r.id = ${input.runId} AND r.project_id = ${projectId}`);
  if (!run) throw notFound("run");
  const tagRows = await ctx.database.rows<{ tag: string }>(sql`SELECT tag FROM run_tags WHERE run_id = ${run.id} AND project_id = ${projectId} ORDER BY tag`);
  const fieldRows = await ctx.database.rows<FieldRow>(sql`
    SELECT path, type, num, str, bool, date, count, first_step, last_step, last, min, max, sha256, size, content_type
    FROM fields WHERE run_id = ${run.id} AND project_id = ${projectId} ORDER BY path`);
  const tags = tagRows.map((t) => t.tag);

  const view: RunView = {
    id: run.id, key: run.key, name: run.name, description: run.description, state: run.state, tags,
    fields: sysFields(run, tags), series: {}, files: {},
  };
  for (const f of fieldRows) {
    switch (f.type) {
      case "float": view.fields[f.path] = f.num; break;
      case "string": view.fields[f.path] = f.str; break;
      case "bool": view.fields[f.path] = f.bool; break;
      case "datetime": view.fields[f.path] = iso(f.date); break;
      case "floatSeries":
      case "stringSeries":
        view.series[f.path] = seriesSummary(f);
        break;
      case "file":
      case "fileSeries":
        view.files[f.path] = fileInfo(f);
        break;
    }
  }
  return view;
}

export function seriesSummary(f: Pick<FieldRow, "type" | "count" | "first_step" | "last_step" | "last" | "str" | "min" | "max">): SeriesSummary {
  return {
    type: f.type as SeriesSummary["type"],
    count: Number(f.count ?? 0),
    firstStep: f.first_step,
    lastStep: f.last_step,
    last: f.type === "stringSeries" ? f.str : (jsonNumberOrNull(f.last) as number | null),
    min: f.min === null ? null : (jsonNumber(f.min) as number),
    max: f.max === null ? null : (jsonNumber(f.max) as number),
  };
}

function fileInfo(f: FieldRow): FileInfo {
  const info: FileInfo = {
    type: f.type as FileInfo["type"], sha256: f.sha256, size: f.size === null ? null : Number(f.size), contentType: f.content_type,
  };
  if (f.type === "fileSeries") {
    info.count = Number(f.count ?? 0);
    info.lastStep = f.last_step;
  }
  return info;
}

function sysFields(run: RunRow, tags: string[]): Record<string, AtomValue> {
  return {
    "sys/id": run.id,
    "sys/key": run.key,
    "sys/custom_id": run.custom_id,
    "sys/name": run.name,
    "sys/description": run.description,
    "sys/state": run.state,
    "sys/owner": run.owner_email,
    "sys/creation_time": iso(run.created_at),
    "sys/modification_time": iso(run.modified_at),
    "sys/ping_time": iso(run.last_ping_at),
    "sys/finished_time": iso(run.finished_at),
    "sys/tags": tags.join(","),
  };
}
