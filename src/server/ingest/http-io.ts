import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, errorExcerpt, invalid, statusOf, tooLarge } from "@/server/errors";
import { asUnavailable } from "@/server/db/unavailable";

/** Reads a JSON body up to `limit` bytes; 413 beyond, 400 with the parser's complaint if malformed. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(`request body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(`request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = decodeUtf8(Buffer.concat(chunks, size));
  if (text.length === 0) throw invalid("request body is empty; expected JSON", "body");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(`malformed JSON (${(error as Error).message})`, "body");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as text; bytes that are not UTF-8 are a 400 rather than silently replaced. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw invalid(`is not valid UTF-8 (at byte ${at})`, "body");
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search for the shortest prefix that fails; decoding a prefix may only fail at its cut
  // (an incomplete sequence), so test with `stream: true`, which tolerates that.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/**
 * The one place REST maps errors: typed errors keep their status, anything else is a 500 whose
 * cause is logged (as a short excerpt) under a request id that the client also gets.
 */
export function sendError(res: ServerResponse, error: unknown, log: (msg: string, err: unknown) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const mapped = asUnavailable(error);
  if (mapped !== error) log(`database unavailable in /api/v1: ${errorExcerpt(error)}`, undefined);
  error = mapped;
  if (error instanceof AppError) {
    if (error.code === "rate_limited" || error.code === "unavailable") res.setHeader("retry-after", "1");
    sendJson(res, statusOf[error.code], { error: { code: error.code, message: error.message } });
    return;
  }
  const id = randomUUID();
  log(`unexpected error in /api/v1 (request ${id}): ${errorExcerpt(error)}`, undefined);
  sendJson(res, 500, { error: { code: "internal", message: `internal server error (request ${id})` } });
}
