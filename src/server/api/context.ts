import { TRPCError } from "@trpc/server";
import { AppError } from "@/server/errors";
import { sessionActor } from "@/server/auth/session-actor";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { getServices } from "@/server/registry";
import type { TrpcContext } from "./trpc";

/** Pages opened through a share link send its token in this header instead of a session. */
export const SHARE_HEADER = "x-cairn-share";

/** Builds the actor for one browser request: a share link's token wins over the session cookie. */
export async function createContext(req: Request): Promise<TrpcContext> {
  const services = getServices();
  const share = req.headers.get(SHARE_HEADER);
  if (share) {
    try {
      return { services, actor: await authenticateShare(services.database, share) };
    } catch (error) {
      if (error instanceof AppError) throw new TRPCError({ code: "NOT_FOUND", message: error.message });
      throw error;
    }
  }
  return { services, actor: await sessionActor(services.database, services.auth.secret, req.headers.get("cookie")) };
}
