import { randomUUID } from "node:crypto";
import type { AtomValue } from "../contracts/runs";
import { pathProblem } from "../contracts/paths";
import { resolveConfig, type InitOptions } from "./config";
import { CairnHttpError } from "./errors";
import { Run } from "./run";
import { Transport } from "./transport";

const plainSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates a run in `project` ("workspace/project"; default CAIRN_PROJECT) and returns it once
 * the server has answered. With a customId, an existing run of that id is resumed. Network
 * errors, 429 and 5xx are retried for up to maxRetryMs; without a customId the SDK generates
 * one, so a retried create can never make two runs.
 */
export async function init(project?: string, options?: InitOptions): Promise<Run>;
export async function init(options?: InitOptions): Promise<Run>;
export async function init(projectOrOptions?: string | InitOptions, maybeOptions?: InitOptions): Promise<Run> {
  const [project, options] =
    typeof projectOrOptions === "object" ? [undefined, projectOrOptions] : [projectOrOptions, maybeOptions ?? {}];
  const cfg = resolveConfig(project, options, process.env);
  const { atoms, dates } = splitFields(options.fields ?? {});
  const body = {
    customId: options.customId ?? randomUUID(),
    name: options.name,
    description: options.description,
    tags: options.tags,
    fields: atoms,
  };
  const transport = new Transport(cfg);
  const path = `/api/v1/projects/${encodeURIComponent(cfg.workspace)}/${encodeURIComponent(cfg.project)}/runs`;
  const { status, json } = await transport.call(
    { method: "POST", path, body: JSON.stringify(body), contentType: "application/json" },
    `create run in ${cfg.workspace}/${cfg.project}`,
    plainSleep,
  );
  const created = json as { id?: unknown; key?: unknown; url?: unknown } | null;
  if (typeof created?.id !== "string" || typeof created.key !== "string" || typeof created.url !== "string") {
    throw new CairnHttpError(status, "bad_response", "the answer has no run id, key and url", "create run");
  }
  const run = new Run({ id: created.id, key: created.key, url: created.url, resumed: status === 200 }, transport, cfg);
  // The create body takes only atoms; datetimes go out as the run's first operations.
  for (const [p, date] of dates) run.assign(p, date);
  return run;
}

function splitFields(fields: NonNullable<InitOptions["fields"]>) {
  const atoms: Record<string, AtomValue> = {};
  const dates: [string, Date][] = [];
  for (const [path, value] of Object.entries(fields)) {
    const problem = pathProblem(path);
    if (problem !== null) throw new TypeError(`Cairn: fields: ${problem}`);
    if (value instanceof Date) dates.push([path, value]);
    else if (value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      atoms[path] = value;
    } else {
      throw new TypeError(`Cairn: fields["${path}"] must be a finite number, string, boolean, null or Date`);
    }
  }
  return { atoms, dates };
}
