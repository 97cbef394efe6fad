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
