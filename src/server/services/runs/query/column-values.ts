import { iso } from "@/server/db/values";
import { sql } from "drizzle-orm";
import type { FieldType } from "@/contracts/runs";
import { textArray } from "@/server/db/arrays";
import type { Database } from "@/server/db/client";
import { jsonNumberOrNull } from "@/server/realtime/json-number";
import { seriesSummary } from "../get-run";
import type { Operand, SysName } from "./ast";

export type RunRow = {
  id: string; key: string; name: string; description: string; state: string; custom_id: string | null;
  owner_email: string | null; created_at: Date | string; modified_at: Date | string; last_ping_at: Date | string;
  finished_at: Date | string | null;
};

type FieldRow = {
  run_id: string; path: string; type: FieldType; num: number | null; str: string | null; bool: boolean | null;
  date: Date | string | null; count: string | number | null; first_step: number | null; last_step: number | null;
  last: number | null; min: number | null; max: number | null; sha256: string | null; size: string | number | null;
  content_type: string | null;
};


const sysValue: Record<SysName, (r: RunRow) => unknown> = {
  "sys/id": (r) => r.id,
  "sys/key": (r) => r.key,
  "sys/name": (r) => r.name,
  "sys/description": (r) => r.description,
  "sys/state": (r) => r.state,
  "sys/custom_id": (r) => r.custom_id,
  "sys/owner": (r) => r.owner_email,
  "sys/creation_time": (r) => iso(r.created_at),
  "sys/modification_time": (r) => iso(r.modified_at),
  "sys/ping_time": (r) => iso(r.last_ping_at),
  "sys/finished_time": (r) => iso(r.finished_at),
};

/**
 * The requested columns of a page of runs, keyed by the column as written. Field values come
 * from one query for the whole page, tags from one more when asked for.
 */
export async function columnValues(
  database: Database, projectId: string, runs: RunRow[], columns: { name: string; operand: Operand }[],
): Promise<Map<string, Record<string, unknown>>> {
  const ids = runs.map((r) => r.id);
  const paths = [...new Set(columns.flatMap((c) => (c.operand.kind === "field" || c.operand.kind === "summary" ? [c.operand.path] : [])))];
  const fields = new Map<string, FieldRow>();
  if (paths.length > 0 && ids.length > 0) {
    const rows = await database.rows<FieldRow>(sql`
      SELECT run_id, path, type, num, str, bool, date, count, first_step, last_step, last, min, max, sha256, size, content_type
      FROM fields
      WHERE project_id = ${projectId} AND run_id = ANY(${textArray(ids)}::text::uuid[]) AND path = ANY(${textArray(paths)}::text::text[])`);
    for (const f of rows) fields.set(`${f.run_id}/${f.path}`, f);
  }
  const tags = new Map<string, string[]>();
  if (columns.some((c) => c.operand.kind === "tags") && ids.length > 0) {
    const rows = await database.rows<{ run_id: string; tag: string }>(sql`
      SELECT run_id, tag FROM run_tags
      WHERE project_id = ${projectId} AND run_id = ANY(${textArray(ids)}::text::uuid[]) ORDER BY tag`);
    for (const t of rows) tags.set(t.run_id, [...(tags.get(t.run_id) ?? []), t.tag]);
  }

  const out = new Map<string, Record<string, unknown>>();
  for (const run of runs) {
    const values: Record<string, unknown> = {};
    for (const { name, operand } of columns) {
      switch (operand.kind) {
        case "sys": values[name] = sysValue[operand.name](run); break;
        case "tags": values[name] = tags.get(run.id) ?? []; break;
        case "summary": {
          const f = fields.get(`${run.id}/${operand.path}`);
          values[name] = f?.type === "floatSeries" ? jsonNumberOrNull(f[operand.fn]) : null;
          break;
        }
        case "field": values[name] = fieldValue(fields.get(`${run.id}/${operand.path}`)); break;
      }
    }
    out.set(run.id, values);
  }
  return out;
}

function fieldValue(f: FieldRow | undefined): unknown {
  if (!f) return null;
  switch (f.type) {
    case "float": return jsonNumberOrNull(f.num);
    case "string": return f.str;
    case "bool": return f.bool;
    case "datetime": return iso(f.date);
    case "floatSeries":
    case "stringSeries": return seriesSummary(f);
    case "file":
    case "fileSeries": return { type: f.type, sha256: f.sha256, size: f.size === null ? null : Number(f.size), contentType: f.content_type };
  }
}
