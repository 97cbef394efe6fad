import { pathProblem } from "@/contracts/paths";
import {
  MAX_DEPTH, QueryError, summaryFns, sysNames,
  type Condition, type Literal, type Operand, type SummaryFn, type SysName,
} from "./ast";
import { tokenize, type Token } from "./tokenize";

const RESERVED = new Set(["and", "or", "not", "contains", "matches", "exists", "true", "false"]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses a whole run query into a condition tree. */
export function parseQuery(query: string): Condition {
  const p = new Parser(tokenize(query));
  if (p.peek().kind === "eof") throw new QueryError("query is empty", 0);
  const condition = p.or(0);
  p.expectEnd();
  return condition;
}

/** Parses one operand on its own, as sort keys and columns are written. */
export function parseOperand(text: string): Operand {
  const p = new Parser(tokenize(text));
  const operand = p.operand();
  p.expectEnd();
  return operand;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.i++;
    return t;
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "word" && t.text.toLowerCase() === word;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== "eof") throw new QueryError(`unexpected ${describe(t)} after the end of the expression`, t.pos);
  }

  or(depth: number): Condition {
    const items = [this.and(depth)];
    while (this.isWord("or")) { this.next(); items.push(this.and(depth)); }
    return items.length === 1 ? items[0] : { kind: "or", items };
  }

  private and(depth: number): Condition {
    const items = [this.unary(depth)];
    while (this.isWord("and")) { this.next(); items.push(this.unary(depth)); }
    return items.length === 1 ? items[0] : { kind: "and", items };
  }

  private unary(depth: number): Condition {
    const t = this.peek();
    // Bounding nesting keeps a hostile query from exhausting the stack.
    if (depth >= MAX_DEPTH) throw new QueryError(`expression is nested more than ${MAX_DEPTH} levels deep`, t.pos);
    if (this.isWord("not")) { this.next(); return { kind: "not", item: this.unary(depth + 1) }; }
    if (t.kind === "(") {
      this.next();
      const inner = this.or(depth + 1);
      const close = this.next();
      if (close.kind !== ")") throw new QueryError(`expected ")" but found ${describe(close)}`, close.pos);
      return inner;
    }
    if (this.isWord("exists")) { this.next(); return { kind: "exists", operand: this.operand() }; }
    return this.comparison();
  }

  private comparison(): Condition {
    const operand = this.operand();
    const t = this.next();
    if (t.kind === "op") return { kind: "compare", operand, op: t.op, literal: this.literal() };
    if (t.kind === "word") {
      const word = t.text.toLowerCase();
      if (word === "exists") return { kind: "exists", operand };
      if (word === "contains" || word === "matches") {
        const s = this.next();
        if (s.kind !== "string") throw new QueryError(`${word} takes a double-quoted string, found ${describe(s)}`, s.pos);
        return { kind: word, operand, literal: { kind: "string", value: s.value, pos: s.pos } };
      }
    }
    throw new QueryError(`expected a comparison (=, !=, <, <=, >, >=, contains, matches or exists) but found ${describe(t)}`, t.pos);
  }

  operand(): Operand {
    const t = this.next();
    if (t.kind !== "word") throw new QueryError(`expected a field path but found ${describe(t)}`, t.pos);
    const word = t.text.toLowerCase();
    if (this.peek().kind === "(") {
      if (!summaryFns.includes(word as SummaryFn)) throw new QueryError(`unknown function "${t.text}"; use last, min or max`, t.pos);
      this.next();
      const arg = this.next();
      if (arg.kind !== "word") throw new QueryError(`expected a field path but found ${describe(arg)}`, arg.pos);
      const path = checkPath(arg.text, arg.pos);
      if (path.startsWith("sys/")) throw new QueryError(`${word}() applies to float series, not to ${path}`, arg.pos);
      const close = this.next();
      if (close.kind !== ")") throw new QueryError(`expected ")" but found ${describe(close)}`, close.pos);
      return { kind: "summary", fn: word as SummaryFn, path, pos: t.pos };
    }
    if (word === "tags") return { kind: "tags", pos: t.pos };
    if (RESERVED.has(word)) throw new QueryError(`expected a field path but found the keyword "${t.text}"`, t.pos);
    const path = checkPath(t.text, t.pos);
    if (path.startsWith("sys/")) {
      if (!sysNames.includes(path as SysName)) throw new QueryError(`unknown field ${path}; sys/ has ${sysNames.join(", ")}`, t.pos);
      return { kind: "sys", name: path as SysName, pos: t.pos };
    }
    return { kind: "field", path, pos: t.pos };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === "string") return { kind: "string", value: t.value, pos: t.pos };
    if (t.kind === "word") {
      const word = t.text.toLowerCase();
      if (word === "true" || word === "false") return { kind: "bool", value: word === "true", pos: t.pos };
      if (NUMBER.test(t.text)) {
        const value = Number(t.text);
        if (!Number.isFinite(value)) throw new QueryError(`number ${t.text} is out of range`, t.pos);
        return { kind: "number", value, pos: t.pos };
      }
    }
    throw new QueryError(`expected a number, a double-quoted string, true or false but found ${describe(t)}`, t.pos);
  }
}

function checkPath(path: string, pos: number): string {
  const problem = pathProblem(path, { allowSys: true });
  if (problem) throw new QueryError(problem, pos);
  return path;
}

function describe(t: Token): string {
  switch (t.kind) {
    case "eof": return "the end of the query";
    case "word": return `"${t.text}"`;
    case "string": return "a string";
    case "op": return `"${t.op}"`;
    default: return `"${t.kind}"`;
  }
}
