/** Typed errors thrown by services; transports map them to status codes in one place each. */
export type ErrorCode =
  | "invalid" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "too_large" | "rate_limited"
  | "unavailable";

export class AppError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly where?: string) {
    super(message);
    this.name = "AppError";
  }
}

export const invalid = (message: string, where?: string) =>
  new AppError("invalid", where ? `${where}: ${message}` : message, where);
export const unauthorized = (message = "missing, unknown or revoked API key") => new AppError("unauthorized", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const conflict = (message: string, where?: string) =>
  new AppError("conflict", where ? `${where}: ${message}` : message, where);
export const tooLarge = (message: string) => new AppError("too_large", message);

export const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

const EXCERPT_CHARS = 300;

/**
 * A short, single-line description of an unexpected error for the log: its name, code and the
 * start of its message. Never the whole object — a database error carries the statement's
 * parameters, which for a rejected batch are megabytes of a client's data.
 */
export function errorExcerpt(error: unknown): string {
  if (!(error instanceof Error)) return excerpt(String(error));
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error && error.cause !== error ? `; cause: ${excerpt(error.cause.message)}` : "";
  const at = error.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim() ?? "";
  return `${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${excerpt(error.message)}${cause}${at ? ` (${at})` : ""}`;
}

function excerpt(s: string): string {
  const line = s.replace(/\s+/g, " ");
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}… (${line.length} characters)` : line;
}

/**
 * Runs an authorization check for an object found by id and answers a refusal to see it as that
 * object's own "<what> not found", the same body an unknown id gets: "project not found" would
 * tell that the id exists in another tenant.
 */
export async function hiddenAs<T>(what: string, check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") throw notFound(what);
    throw error;
  }
}
