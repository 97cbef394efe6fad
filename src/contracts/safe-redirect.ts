/**
 * The path to send someone to after sign-in (or set-up, sign-up, an invite): only a path on this
 * site, else `fallback`. `origin` is the server's public URL; an absolute URL on it is reduced to
 * its path (next-auth sends those), any other absolute URL is refused.
 *
 * Browsers read `//host`, `/\host` and `\\host` as another host, and skip tabs and newlines
 * inside URLs, so anything with a backslash or a control character (also percent-encoded), or a
 * path that starts with or contains `//` once decoded and normalised, is refused.
 */
export function safeRedirectPath(raw: unknown, origin?: string | null, fallback = "/"): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== "string" || value === "" || value.length > 2048) return fallback;
  if (UNSAFE.test(value) || UNSAFE.test(decodeLayers(value))) return fallback;

  let home: URL;
  try {
    home = new URL(origin || PLACEHOLDER);
  } catch {
    return fallback;
  }
  let url: URL;
  if (value.startsWith("/")) {
    if (value.startsWith("//")) return fallback;
    url = new URL(value, home.origin);
  } else if (/^https?:\/\//i.test(value) && origin) {
    try {
      url = new URL(value);
    } catch {
      return fallback;
    }
    if (url.origin !== home.origin || url.username || url.password) return fallback;
  } else {
    // Relative paths, `javascript:`, `data:`, other schemes, or an absolute URL with no origin to compare.
    return fallback;
  }
  if (url.origin !== home.origin) return fallback;
  // After normalisation ("/..//evil" becomes "//evil") and decoding ("/%2F/evil").
  if (decodeLayers(url.pathname).includes("//")) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}

const PLACEHOLDER = "http://cairn.invalid";
// Backslashes, C0 controls, DEL, and the invisible characters some parsers drop.
const UNSAFE = /[\\\u0000-\u001f\u007f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Percent-decodes up to three times, so `%252F` is seen as `/`; stops at anything malformed. */
function decodeLayers(value: string): string {
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
