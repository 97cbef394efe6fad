import { NextResponse, type NextRequest } from "next/server";

/**
 * Every page gets a strict Content-Security-Policy with a fresh nonce: Next reads the nonce
 * from the request's policy and puts it on its own scripts, and no other script runs (no
 * inline handlers, no injected tags). Requests may go only to Cairn itself (tRPC, REST,
 * socket.io), frames only to Cairn's sandbox pages, and no page may be framed.
 * Development adds 'unsafe-eval', which React's dev build needs for its error overlays.
 */
function contentSecurityPolicy(nonce: string, host: string | null, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React style attributes and chart libraries set inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    // 'self' covers ws(s) to the same host in current browsers; the explicit origins are for older ones.
    `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ""}`,
    "frame-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The Host header when it is a plain host[:port] (it lands inside the policy's text). */
const websocketHost = (host: string | null) => (host && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : null);

export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = contentSecurityPolicy(nonce, websocketHost(request.headers.get("host")), process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  response.headers.set("x-frame-options", "DENY");
  return response;
}

export const config = {
  // The sandbox frames carry their own policy; static chunks need none.
  matcher: ["/((?!sandbox/|_next/static/|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
