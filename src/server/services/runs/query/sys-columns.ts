import { sql, type SQL } from "drizzle-orm";
import type { SysName } from "./ast";

/** PostgreSQL types a sort key may have; the cursor casts its value back to one of these. */
export type SortType = "float8" | "text" | "timestamptz" | "bool" | "int4" | "uuid";

type SysColumn = {
  /** What conditions compare: text, or a timestamp compared with ISO date strings. */
  filter: SQL;
  kind: "text" | "timestamptz";
  /** What sorting orders by, when that differs from `filter`. */
  sort: { expr: SQL; type: SortType };
};

const owner = sql`(SELECT u.email FROM users u WHERE u.id = r.owner_id)`;
const text = (expr: SQL): SysColumn => ({ filter: expr, kind: "text", sort: { expr, type: "text" } });
const time = (expr: SQL): SysColumn => ({ filter: expr, kind: "timestamptz", sort: { expr, type: "timestamptz" } });

/** The sys/ namespace as columns of `runs r`, as get-run names them. */
export const sysColumns: Record<SysName, SysColumn> = {
  "sys/id": { filter: sql`r.id::text`, kind: "text", sort: { expr: sql`r.id`, type: "uuid" } },
  // Keys compare as text, but sort by their number so IRIS-10 comes after IRIS-9.
  "sys/key": { filter: sql`r.key`, kind: "text", sort: { expr: sql`r.number`, type: "int4" } },
  "sys/name": text(sql`r.name`),
  "sys/description": text(sql`r.description`),
  "sys/state": text(sql`r.state`),
  "sys/custom_id": text(sql`r.custom_id`),
  "sys/owner": text(owner),
  "sys/creation_time": time(sql`r.created_at`),
  "sys/modification_time": time(sql`r.modified_at`),
  "sys/ping_time": time(sql`r.last_ping_at`),
  "sys/finished_time": time(sql`r.finished_at`),
};
