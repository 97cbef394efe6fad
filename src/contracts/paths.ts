export const MAX_PATH_LENGTH = 1024;
export const MAX_SEGMENT_LENGTH = 128;
const SEGMENT = /^[A-Za-z0-9_.-]{1,128}$/;

/** Returns why a field path is not acceptable, or null when it is. */
export function pathProblem(path: unknown, opts: { allowSys?: boolean } = {}): string | null {
  if (typeof path !== "string") return "path must be a string";
  if (path.length === 0) return "path is empty";
  if (path.length > MAX_PATH_LENGTH) return `path is longer than ${MAX_PATH_LENGTH} characters`;
  const segments = path.split("/");
  for (const s of segments) {
    if (s.length === 0) return `path "${path}" has an empty segment`;
    if (s.length > MAX_SEGMENT_LENGTH) return `path "${path}" has a segment longer than ${MAX_SEGMENT_LENGTH} characters`;
    if (!SEGMENT.test(s)) return `path "${path}": segment "${s}" may hold only letters, digits, "_", "-" and "."`;
    if (s === "." || s === "..") return `path "${path}": segment "${s}" is not allowed`;
  }
  if (!opts.allowSys && segments[0] === "sys") return `path "${path}" is in the read-only sys/ namespace`;
  return null;
}
