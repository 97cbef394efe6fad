import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, invalid, statusOf, tooLarge } from "@/server/errors";
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
  const text = Buffer.concat(chunks, size).toString("utf8");
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

/** The one place REST maps errors: typed errors keep their status, anything else is a 500. */
export function sendError(res: ServerResponse, error: unknown, log: (msg: string, err: unknown) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const mapped = asUnavailable(error);
  if (mapped !== error) log("database unavailable in /api/v1", error);
  error = mapped;
  if (error instanceof AppError) {
    if (error.code === "rate_limited" || error.code === "unavailable") res.setHeader("retry-after", "1");
    sendJson(res, statusOf[error.code], { error: { code: error.code, message: error.message } });
    return;
  }
  log("unexpected error in /api/v1", error);
  sendJson(res, 500, { error: { code: "internal", message: "internal server error" } });
}
