import { MAX_QUERY_LENGTH, QueryError, type CompareOp } from "./ast";

export type Token =
  | { kind: "word"; text: string; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "op"; op: CompareOp; pos: number }
  | { kind: "(" | ")" | "eof"; pos: number };

// One character class for paths, numbers and keywords alike: the parser decides from where a
// word stands what it is, so a path segment may start with a digit and `1e-3` stays one number.
const WORD = /[A-Za-z0-9_.\-/+]/;

export function tokenize(query: string): Token[] {
  if (query.length > MAX_QUERY_LENGTH) throw new QueryError(`query is longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) { i++; continue; }
    const pos = i;
    if (c === "(" || c === ")") { tokens.push({ kind: c, pos }); i++; continue; }
    if (c === '"') { const [value, end] = readString(query, i); tokens.push({ kind: "string", value, pos }); i = end; continue; }
    const two = query.slice(i, i + 2);
    if (two === "!=" || two === "<=" || two === ">=") { tokens.push({ kind: "op", op: two, pos }); i += 2; continue; }
    if (c === "=" || c === "<" || c === ">") { tokens.push({ kind: "op", op: c, pos }); i++; continue; }
    if (WORD.test(c)) {
      while (i < query.length && WORD.test(query[i])) i++;
      tokens.push({ kind: "word", text: query.slice(pos, i), pos });
      continue;
    }
    throw new QueryError(`unexpected character ${JSON.stringify(c)}`, pos);
  }
  tokens.push({ kind: "eof", pos: query.length });
  return tokens;
}

/** A double-quoted string starting at `start`; returns its value and the index after the closing quote. */
function readString(query: string, start: number): [string, number] {
  let value = "";
  let i = start + 1;
  while (i < query.length) {
    const c = query[i];
    if (c === '"') return [value, i + 1];
    if (c === "\\") {
      const next = query[i + 1];
      if (next !== '"' && next !== "\\") throw new QueryError('unknown escape in string; only \\" and \\\\ are allowed', i);
      value += next;
      i += 2;
      continue;
    }
    // PostgreSQL text cannot hold U+0000; refusing it here keeps the error a 400.
    if (c === "\u0000") throw new QueryError("a string cannot contain the NUL character", i);
    value += c;
    i++;
  }
  throw new QueryError("unterminated string", start);
}
