import type { z } from "zod";
import { invalid } from "@/server/errors";

/** Validates input with a contract's schema; the first problem becomes a 400 naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, where = "body"): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue.message, issue.path.length ? issue.path.join(".") : where);
  }
  return parsed.data;
}
