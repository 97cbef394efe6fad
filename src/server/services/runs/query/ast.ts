/** A syntax or type error in a run query, pointing at the 0-based character where it starts. */
export class QueryError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = "QueryError";
  }
}

export const MAX_QUERY_LENGTH = 10_000;
export const MAX_DEPTH = 64;
export const MAX_REGEX_LENGTH = 1_000;

export type SummaryFn = "last" | "min" | "max";
export const summaryFns: readonly SummaryFn[] = ["last", "min", "max"];

/** What a condition, a sort or a column reads from a run. */
export type Operand =
  | { kind: "field"; path: string; pos: number }
  | { kind: "summary"; fn: SummaryFn; path: string; pos: number }
  | { kind: "sys"; name: SysName; pos: number }
  | { kind: "tags"; pos: number };

export type Literal =
  | { kind: "number"; value: number; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "bool"; value: boolean; pos: number };

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Condition =
  | { kind: "and" | "or"; items: Condition[] }
  | { kind: "not"; item: Condition }
  | { kind: "compare"; operand: Operand; op: CompareOp; literal: Literal }
  | { kind: "contains" | "matches"; operand: Operand; literal: Extract<Literal, { kind: "string" }> }
  | { kind: "exists"; operand: Operand };

export const sysNames = [
  "sys/id", "sys/key", "sys/name", "sys/description", "sys/state", "sys/custom_id", "sys/owner",
  "sys/creation_time", "sys/modification_time", "sys/ping_time", "sys/finished_time",
] as const;
export type SysName = (typeof sysNames)[number];
