import { z } from "zod";
import { invalid } from "@/server/errors";
import type { SortType } from "./sys-columns";

// What a cursor remembers: the sort it belongs to, and the last row's sort value (as
// PostgreSQL prints it, so timestamps keep their microseconds) and id.
const CursorBody = z.object({
  sort: z.string(),
  type: z.enum(["float8", "text", "timestamptz", "bool", "int4", "uuid"]),
  value: z.string().nullable(),
  id: z.uuid(),
});
type CursorBody = z.infer<typeof CursorBody>;

export function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/** The position a cursor names, provided it was made for this same sort. */
export function decodeCursor(text: string, expected: { sort: string; type: SortType }): { value: string | null; id: string } {
  let body: CursorBody;
  try {
    body = CursorBody.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw invalid("is not a cursor this endpoint returned", "cursor");
  }
  if (body.sort !== expected.sort || body.type !== expected.type) {
    throw invalid("was made for a different sort; start again without a cursor", "cursor");
  }
  return { value: body.value, id: body.id };
}
