import { z } from "zod";

// With the u flag a surrogate range matches only surrogates that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Why a string cannot be stored as PostgreSQL text, or null when it can: text holds no U+0000,
 * and a lone UTF-16 surrogate has no UTF-8 form (jsonb refuses its escape outright).
 */
export function textProblem(v: string): string | null {
  if (v.includes("\u0000")) return "cannot contain the NUL character";
  if (LONE_SURROGATE.test(v)) return "is not valid Unicode (a lone surrogate)";
  return null;
}

type TextOpts = { max: number; min?: number; trim?: boolean; minMessage?: string; maxMessage?: string };

/**
 * A string field the database can store: at most `max` characters (min 0 unless given), no NUL,
 * no lone surrogates. Every free-text field of a contract is one of these, so such input is a
 * 400 naming the field, never a database error.
 */
export function text(opts: TextOpts) {
  const base = opts.trim ? z.string().trim() : z.string();
  let s = base.max(opts.max, opts.maxMessage ?? `must be at most ${opts.max} characters`);
  if (opts.min !== undefined) s = s.min(opts.min, opts.minMessage ?? (opts.min === 1 ? "is required" : `must be at least ${opts.min} characters`));
  return s.superRefine((v, ctx) => {
    const problem = textProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Earliest and latest instants every door accepts: years 1 to 9999, which PostgreSQL and ISO 8601 both hold. */
export const DATE_RANGE = { min: new Date("0001-01-01T00:00:00.000Z").getTime(), max: new Date("9999-12-31T23:59:59.999Z").getTime() };

/** Why epoch milliseconds are not a storable instant, or null. */
export function timeProblem(ms: number): string | null {
  if (!Number.isFinite(ms)) return "is not a date";
  if (ms < DATE_RANGE.min || ms > DATE_RANGE.max) return "must be between the years 1 and 9999";
  return null;
}

/** A date given as ISO 8601 text or epoch milliseconds, within DATE_RANGE. */
export const DateTime = z.coerce.date("is not a date").superRefine((d, ctx) => {
  const problem = timeProblem(d.getTime());
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const MAX_JSON_DEPTH = 32;

/**
 * Opaque JSON a contract carries (a chart layout, a shared view): bounded in depth, size and
 * strings, checked without recursion so deep nesting is a 400 instead of a stack overflow.
 */
export function boundedJson(opts: { maxBytes: number; maxDepth?: number }) {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  return z.unknown().superRefine((v, ctx) => {
    const problem = jsonProblem(v, maxDepth);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return;
    }
    if (new TextEncoder().encode(JSON.stringify(v)).length > opts.maxBytes) ctx.addIssue({ code: "custom", message: `must be JSON of at most ${opts.maxBytes} bytes` });
  }) as unknown as z.ZodType<z.core.util.JSONType>;
}

function jsonProblem(root: unknown, maxDepth: number): string | null {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > maxDepth) return `is nested deeper than ${maxDepth} levels`;
    if (v === null || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return "holds a number that is not finite";
      continue;
    }
    if (typeof v === "string") {
      const p = textProblem(v);
      if (p) return `holds a string that ${p}`;
      continue;
    }
    if (Array.isArray(v)) {
      for (const x of v) stack.push([x, depth + 1]);
      continue;
    }
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) {
        const p = textProblem(k);
        if (p) return `holds a key that ${p}`;
        stack.push([x, depth + 1]);
      }
      continue;
    }
    return "is not JSON";
  }
  return null;
}

/** A date kept as its ISO 8601 text (a version stamp the client echoes back), within DATE_RANGE. */
export const DateTimeText = text({ max: 64 }).refine((v) => timeProblem(Date.parse(v)) === null, "is not an ISO 8601 date between the years 1 and 9999");
