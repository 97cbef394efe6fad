import { TRPCError } from "@trpc/server";
import { AppError } from "@/server/errors";
import { CLIENT_IP_HEADER } from "@/server/auth/auth-options";
import { sessionActor } from "@/server/auth/session-actor";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { getServices } from "@/server/registry";
import type { TrpcContext } from "./trpc";

/** Pages opened through a share link send its token in this header instead of a session. */
export const SHARE_HEADER = "x-cairn-share";

/** Builds the actor for one browser request: a share link's token wins over the session cookie. */
export async function createContext(req: Request): Promise<TrpcContext> {
  const services = getServices();
  // The custom server replaces whatever the client sent in this header with the socket's address.
  const clientIp = req.headers.get(CLIENT_IP_HEADER) ?? undefined;
  const share = req.headers.get(SHARE_HEADER);
  if (share) {
    try {
      return { services, clientIp, actor: await authenticateShare(services.database, share) };
    } catch (error) {
      if (error instanceof AppError) throw new TRPCError({ code: "NOT_FOUND", message: error.message });
      throw error;
    }
  }
  return { services, clientIp, actor: await sessionActor(services.database, services.auth.secret, req.headers.get("cookie")) };
}
