import type { IncomingHttpHeaders } from "node:http";
import { forbidden } from "@/server/errors";

/** scheme://host[:port] of a URL, as browsers write the Origin header; null when unparsable. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * A session cookie rides along with any page's request, so a page elsewhere (another port of
 * the same host is another origin) could open a socket as the signed-in person. Cookie sockets
 * are accepted only from the allowed origins, compared exactly (scheme, host and port):
 * - an Origin header must be one of them;
 * - without one (a same-origin request may omit it; scripts send none), a browser's
 *   Sec-Fetch-Site must say same-origin when it is sent at all.
 * Browsers always send Origin on WebSocket handshakes and cross-origin requests, so what passes
 * without either header is a client that is not a browser, which holds the cookie itself.
 */
export function checkSessionOrigin(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): void {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!allowed.has(origin.toLowerCase())) {
      throw forbidden(`a session socket from ${origin} is not allowed: open Cairn at its public URL, or list the origin in CAIRN_ALLOWED_ORIGINS`);
    }
    return;
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") throw forbidden("a session socket must come from Cairn's own pages");
}
