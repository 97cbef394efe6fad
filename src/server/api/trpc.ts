import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Actor } from "@/server/authz/actor";
import { AppError, errorExcerpt, type ErrorCode } from "@/server/errors";
import { publicLimiter, type RateName } from "@/server/auth/address-limiter";
import { asUnavailable } from "@/server/db/unavailable";
import type { Ctx, Services } from "@/server/services/context";

/**
 * What every procedure sees: the process's services and who is asking (null: nobody signed in).
 * `clientIp`: the peer's address, set for requests that came through the HTTP server.
 */
export type TrpcContext = { services: Services; actor: Actor | null; clientIp?: string };

const INTERNAL = "internal server error (request ";

/** Logs an unexpected error once, under an id the client also gets, and returns that message. */
function internalMessage(where: string, error: unknown): string {
  const id = randomUUID();
  console.error(`unexpected error in ${where} (request ${id}): ${errorExcerpt(error)}`);
  return `${INTERNAL}${id})`;
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  // Never a stack in a response, in development either: the log has the cause.
  isDev: false,
  errorFormatter({ shape, error, path }) {
    const { stack: _stack, ...data } = shape.data as typeof shape.data & { stack?: string };
    // 5xx raised outside a procedure's middleware (context creation, the request's envelope).
    if (data.httpStatus >= 500 && !error.message.startsWith(INTERNAL)) {
      return { ...shape, message: internalMessage(`/api/trpc ${path ?? ""}`.trim(), error.cause ?? error), data };
    }
    return { ...shape, data };
  },
});

const trpcCode: Record<ErrorCode, TRPCError["code"]> = {
  invalid: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  too_large: "PAYLOAD_TOO_LARGE",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "SERVICE_UNAVAILABLE",
};

/**
 * Services throw AppError; the browser gets the same status and message the REST door gives.
 * Deliberate 4xx errors (a procedure's own TRPCError, a zod input error) pass as they are.
 * Anything else is a bug or an outage: its message may hold SQL and its parameters, so the
 * client gets a generic 500 with a request id, and the log gets the cause.
 */
const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const { error } = result;
  // A lost database connection is an outage to retry (503), not a bug.
  const cause = asUnavailable(error.cause);
  if (cause instanceof AppError) {
    throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
  }
  if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "NOT_IMPLEMENTED" || error.code === "BAD_GATEWAY"
    || error.code === "SERVICE_UNAVAILABLE" || error.code === "GATEWAY_TIMEOUT") {
    if (!error.message.startsWith(INTERNAL)) {
      // The status stays (a 503 tells the client to retry); only the message becomes generic.
      throw new TRPCError({ code: error.code, message: internalMessage(`tRPC ${path}`, error.cause ?? error) });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone, signed in or not (set-up, sign-up, invite lookup). */
export const publicProcedure = t.procedure.use(mapErrors);

/** A signed-in person; `ctx` is the services plus that user as actor. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.actor?.kind !== "user") throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  const actor = ctx.actor;
  return next({ ctx: { ...ctx.services, actor, userId: actor.userId } satisfies Ctx & { userId: string } });
});

/** A signed-in person or a share link's viewer: read procedures that share links may reach. */
export const viewerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor || (ctx.actor.kind !== "user" && ctx.actor.kind !== "share")) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  }
  return next({ ctx: { ...ctx.services, actor: ctx.actor } satisfies Ctx });
});

/**
 * A public procedure limited per client address (`rate` names a bucket in PUBLIC_RATES; procedures
 * naming the same bucket share it). In-process callers have no address and are not limited.
 */
export const limitedProcedure = (rate: RateName) => publicProcedure.use(({ ctx, next }) => {
  if (ctx.clientIp) {
    const waitMs = publicLimiter.take(rate, ctx.clientIp);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new AppError("rate_limited", `too many requests from this address; try again in ${seconds} second${seconds === 1 ? "" : "s"}`);
    }
  }
  return next();
});
