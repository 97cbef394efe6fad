import { AppError } from "@/server/errors";

// Errors of the link to PostgreSQL rather than of a statement: postgres.js's own codes and
// the socket's. The client retries these with the same batch id, so they are 503s, not 500s.
const LINK_CODES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
]);
// SQLSTATEs that mean the server cannot serve this session: connection exceptions (class 08),
// administrator or crash shutdown, "the database system is starting up", too many connections.
const SERVER_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** True when `error` says the database cannot be reached, not that a statement was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if (error instanceof AppError) return error.code === "unavailable";
  const e = error as { code?: unknown; severity?: unknown; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  if (LINK_CODES.has(code) || SERVER_STATES.has(code) || code.startsWith("08")) return true;
  // A FATAL or PANIC error ends the session whatever its code (a database that refuses
  // connections answers 55000 at start-up, for one).
  if (e.severity === "FATAL" || e.severity === "PANIC") return true;
  return e.cause !== undefined && e.cause !== error && isDatabaseUnavailable(e.cause);
}

export const databaseUnavailable = (detail = "the database is unreachable") =>
  new AppError("unavailable", `${detail}; retry shortly`);

/** The typed error for a database fault, or the error itself when it is something else. */
export function asUnavailable(error: unknown): unknown {
  return error instanceof AppError || !isDatabaseUnavailable(error) ? error : databaseUnavailable();
}
