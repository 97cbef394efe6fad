import { SYS_COLUMNS, type RunTableField } from "@/contracts/run-table";

/** One completion: what the list shows and what replaces the word before the caret. */
export type Suggestion = { label: string; insert: string; kind: "field" | "series" | "sys" | "keyword" | "operator" | "function" };
export type Suggestions = { from: number; to: number; items: Suggestion[] };

const WORD = /[A-Za-z0-9_.\-/+]/;
const OPERATORS: Suggestion[] = ["=", "!=", "<", "<=", ">", ">=", "contains", "matches", "exists"].map((op) => ({
  label: op, insert: op, kind: /^[a-z]/.test(op) ? "keyword" : "operator",
}));
const JOINERS: Suggestion[] = ["and", "or"].map((k) => ({ label: k, insert: k, kind: "keyword" }));
export const ATOM_TYPES = ["float", "string", "bool", "datetime"];

type Tok = { kind: "word" | "string" | "op" | "(" | ")"; text: string };

/** A forgiving tokenizer for what precedes the caret (the server's parser reports real errors). */
function tokensBefore(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "(" || c === ")") { out.push({ kind: c, text: c }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out.push({ kind: "string", text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (/[=!<>]/.test(c)) {
      const two = text.slice(i, i + 2);
      const op = ["!=", "<=", ">="].includes(two) ? two : c;
      out.push({ kind: "op", text: op });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < text.length && WORD.test(text[j])) j++;
    if (j === i) j++;
    out.push({ kind: "word", text: text.slice(i, j) });
    i = j;
  }
  return out;
}

/** Every operand the project's fields allow: paths, last/min/max of float series, sys columns, tags. */
export function operandOptions(fields: RunTableField[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const f of fields) {
    if (f.types.some((t) => ATOM_TYPES.includes(t))) out.push({ label: f.path, insert: f.path, kind: "field" });
    if (f.types.includes("floatSeries")) {
      for (const fn of ["last", "min", "max"]) out.push({ label: `${fn}(${f.path})`, insert: `${fn}(${f.path})`, kind: "series" });
    }
  }
  for (const s of SYS_COLUMNS) out.push({ label: s, insert: s, kind: "sys" });
  out.push({ label: "tags", insert: "tags", kind: "keyword" });
  return out;
}

/**
 * What may come at the caret: operands after nothing, `(`, and/or/not; operators after an
 * operand; and/or after a literal; float series paths inside last(/min(/max(.
 */
export function suggest(text: string, caret: number, fields: RunTableField[], limit = 50): Suggestions {
  let from = caret;
  while (from > 0 && WORD.test(text[from - 1])) from--;
  let to = caret;
  while (to < text.length && WORD.test(text[to])) to++;
  const prefix = text.slice(from, caret).toLowerCase();
  const before = tokensBefore(text.slice(0, from));
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];

  const startsCondition = (t: Tok | undefined) => !t || t.kind === "(" || (t.kind === "word" && ["and", "or", "not"].includes(t.text.toLowerCase()));
  const isWord = (t: Tok | undefined, ...words: string[]) => t?.kind === "word" && words.includes(t.text.toLowerCase());

  let items: Suggestion[];
  if (prev?.kind === "(" && isWord(prev2, "last", "min", "max")) {
    items = fields.filter((f) => f.types.includes("floatSeries")).map((f) => ({ label: f.path, insert: `${f.path})`, kind: "series" as const }));
  } else if (startsCondition(prev) || (isWord(prev, "exists") && startsCondition(prev2))) {
    items = [...operandOptions(fields), { label: "not", insert: "not", kind: "keyword" }, { label: "exists", insert: "exists", kind: "keyword" }];
  } else if (prev?.kind === "op") {
    items = prev.text === "=" || prev.text === "!=" ? [{ label: "true", insert: "true", kind: "keyword" }, { label: "false", insert: "false", kind: "keyword" }] : [];
  } else if (isWord(prev, "contains", "matches")) {
    items = [];
  } else if (prev?.kind === "string" || isWord(prev, "exists", "true", "false") || (prev?.kind === "word" && /^[-+]?[0-9.]/.test(prev.text))) {
    // After a literal or a postfix `exists`: join the next condition.
    items = JOINERS;
  } else {
    items = OPERATORS;
  }
  const starts = items.filter((s) => s.label.toLowerCase().startsWith(prefix));
  const contains = prefix ? items.filter((s) => !s.label.toLowerCase().startsWith(prefix) && s.label.toLowerCase().includes(prefix)) : [];
  return { from, to, items: [...starts, ...contains].slice(0, limit) };
}

/** The error of a filter as the server words it ("query: … at position N"): message and position. */
export function queryErrorAt(message: string | undefined): { message: string; position: number } | null {
  const m = /(?:^|: )(?:query: )?(.*) at position (\d+)\)?$/.exec(message ?? "");
  if (!m || !/^query: /.test(message ?? "")) return null;
  return { message: m[1], position: Number(m[2]) };
}

/** `a and b`, keeping either side's meaning whatever its operators. */
export const andFilter = (a: string, b: string) => (a.trim() ? `(${a.trim()}) and ${b}` : b);
