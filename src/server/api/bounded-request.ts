import { MAX_JSON_DEPTH } from "@/contracts/text";
import { SHARE_HEADER } from "./context";

/** Calls one batched tRPC request may carry (the client's batch link sends fewer). */
export const MAX_TRPC_BATCH = 50;
/** Body limits by who is calling: without a session or share link only small forms (set-up, sign-up, invites). */
export const TRPC_BODY_LIMITS = { anonymous: 64 * 1024, signedIn: 1024 * 1024 } as const;
/** Longer URLs (GET queries carry their input in one) are refused before anything parses them. */
export const MAX_TRPC_URL = 32 * 1024;
const MAX_DEPTH = MAX_JSON_DEPTH + 8; // a batch's envelope and superjson's add a few levels

type Refusal = { status: 400 | 413 | 414; code: "BAD_REQUEST" | "PAYLOAD_TOO_LARGE"; message: string };

/**
 * Reads a tRPC request's body with a limit before tRPC sees it, so a huge or endless body costs
 * at most the limit in memory, and refuses what no procedure could accept: too many calls in a
 * batch, bytes that are not UTF-8, JSON nested deeper than any contract allows. Returns the
 * request to hand on (its body already read), or a response in tRPC's error shape.
 */
export async function boundedRequest(req: Request): Promise<Request | Response> {
  const refused = await check(req);
  if ("status" in refused) return refusal(refused);
  return refused.request;
}

async function check(req: Request): Promise<Refusal | { request: Request }> {
  if (req.url.length > MAX_TRPC_URL) return { status: 414, code: "BAD_REQUEST", message: `the URL is longer than ${MAX_TRPC_URL} characters` };
  const url = new URL(req.url);
  if (url.searchParams.get("batch") === "1") {
    const calls = url.pathname.split("/").pop()!.split(",").length;
    if (calls > MAX_TRPC_BATCH) return { status: 400, code: "BAD_REQUEST", message: `a batch holds at most ${MAX_TRPC_BATCH} calls, not ${calls}` };
  }
  const input = url.searchParams.get("input");
  if (input !== null && depthOf(input) > MAX_DEPTH) return deep();
  if (req.method !== "POST" || !req.body) return { request: req };

  const anonymous = !req.headers.get("cookie") && !req.headers.get(SHARE_HEADER);
  const limit = anonymous ? TRPC_BODY_LIMITS.anonymous : TRPC_BODY_LIMITS.signedIn;
  const tooLarge: Refusal = { status: 413, code: "PAYLOAD_TOO_LARGE", message: `request body is larger than ${limit} bytes` };
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > limit) return tooLarge;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { status: 400, code: "BAD_REQUEST", message: "body: is not valid UTF-8" };
  }
  if (depthOf(text) > MAX_DEPTH) return deep();
  return { request: new Request(req.url, { method: req.method, headers: req.headers, body: text, signal: req.signal }) };
}

const deep = (): Refusal => ({ status: 400, code: "BAD_REQUEST", message: `input is nested deeper than ${MAX_DEPTH} levels` });

/** The deepest nesting of JSON text's arrays and objects, without parsing it. */
function depthOf(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** tRPC's error envelope (superjson-serialized), so the browser's client reads it as any other error. */
function refusal(r: Refusal): Response {
  const rpc = r.code === "PAYLOAD_TOO_LARGE" ? -32413 : -32600;
  const body = { error: { json: { message: r.message, code: rpc, data: { code: r.code, httpStatus: r.status } } } };
  return new Response(JSON.stringify(body), { status: r.status, headers: { "content-type": "application/json" } });
}
