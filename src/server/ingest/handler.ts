import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "@/server/services/context";
import { AppError } from "@/server/errors";
import { routes } from "./routes";
import { sendError } from "./http-io";

export type IngestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The REST door (/api/v1): plain Node, no React, so the hot write path stays short. */
export function createIngestHandler(services: Services, opts: { version: string; log: (msg: string, err?: unknown) => void }): IngestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    const path = url.pathname;
    let methodMismatch = false;
    for (const r of routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== req.method) {
        methodMismatch = true;
        continue;
      }
      try {
        await r.handle({ req, res, params: m.slice(1), query: url.searchParams, services, version: opts.version });
      } catch (error) {
        // Drain what the client is still sending so the error reaches it.
        if (!req.readableEnded) req.resume();
        sendError(res, error, opts.log);
      }
      return;
    }
    sendError(res, methodMismatch
      ? new AppError("not_found", `${req.method} is not supported on ${path}`)
      : new AppError("not_found", `no API route ${path}`), opts.log);
  };
}
