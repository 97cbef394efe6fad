import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { ClientEvents, JoinReply, ServerEvents } from "@/contracts/events";
import { sessionActor } from "@/server/auth/session-actor";
import { authenticateKey } from "@/server/authz/authenticate-key";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { authorize } from "@/server/authz/authorize";
import { forgetAccess } from "@/server/authz/forget-access";
import type { Actor } from "@/server/authz/actor";
import { AppError, invalid } from "@/server/errors";
import type { Services } from "@/server/services/context";
import { projectOfRun } from "@/server/services/runs/resolve-run";
import { checkCredential } from "@/server/authz/credential-check";
import type { EventSink } from "./publisher";
import { checkSessionOrigin } from "./socket-origin";
import { credentialsOf, SocketRegistry } from "./socket-registry";
import type { Credential, SocketControl } from "./socket-rooms";

type SocketData = { actor: Actor; expiresAt: Date | null };
type CairnSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

export const ACCESS_CHANGED = "cairn:access-changed";
export const DISCONNECT_CREDENTIAL = "cairn:disconnect-credential";

/** Scripts send their API key, share-link viewers the link's token; browsers their session cookie. */
async function handshakeActor(services: Services, socket: CairnSocket, allowedOrigins: () => ReadonlySet<string>): Promise<Actor> {
  const { auth, headers } = socket.handshake;
  if (typeof auth?.apiKey === "string") return authenticateKey(services.database, `Bearer ${auth.apiKey}`);
  if (typeof auth?.shareToken === "string") return authenticateShare(services.database, auth.shareToken);
  // Only the cookie comes with the browser's ambient authority; keys and tokens a page must hold.
  checkSessionOrigin(headers, allowedOrigins());
  const user = await sessionActor(services.database, services.auth.secret, headers.cookie);
  if (user) return user;
  throw new AppError("unauthorized", "sign in, or connect with an API key or a share link");
}

const ROOM = /^(project|run):([0-9a-f-]{36})$/i;
const ROOM_RULE = `room must be "project:<id>" or "run:<id>"`;
// setTimeout's longest delay (about 24.8 days); a later expiry is re-armed when it fires.
const MAX_DELAY = 2 ** 31 - 1;

const failure = (error: unknown): JoinReply => {
  const e = error instanceof AppError ? error : new AppError("invalid", "could not join");
  return { ok: false, error: { code: e.code, message: e.message } };
};

export type SocketServer = { io: Server; sink: EventSink; registry: SocketRegistry<CairnSocket> };

/**
 * socket.io on the app's HTTP server. A socket joins a room only with read access to it, and
 * only while the key, link or account it was opened with still holds.
 */
export function attachSocketServer(
  httpServer: HttpServer, services: Services, opts: { allowedOrigins: () => ReadonlySet<string> },
): SocketServer {
  const io = new Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    cors: { origin: false },
  });
  const registry = new SocketRegistry<CairnSocket>();

  io.use(async (socket, next) => {
    try {
      socket.data.actor = await handshakeActor(services, socket, opts.allowedOrigins);
      socket.data.expiresAt = (await checkCredential(services.database, socket.data.actor)).expiresAt;
      next();
    } catch (error) {
      next(new Error(error instanceof AppError ? error.message : "authentication failed"));
    }
  });

  io.on("connection", (socket) => {
    const actor = socket.data.actor;
    const credentials = credentialsOf(actor);
    registry.add(socket, credentials);

    // A key or link that expires while the socket is open closes it then.
    let expiry: NodeJS.Timeout | undefined;
    const arm = () => {
      const at = socket.data.expiresAt;
      if (!at) return;
      const wait = at.getTime() - Date.now();
      if (wait <= 0) return void socket.disconnect(true);
      expiry = setTimeout(arm, Math.min(wait, MAX_DELAY));
      expiry.unref();
    };
    arm();
    socket.on("disconnect", () => {
      clearTimeout(expiry);
      registry.remove(socket, credentials);
    });

    socket.on("join", async (room, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      try {
        const m = typeof room === "string" ? ROOM.exec(room) : null;
        if (!m) throw invalid(ROOM_RULE);
        try {
          await checkCredential(services.database, actor);
        } catch (error) {
          reply(failure(error));
          // Revoked while this socket stayed open (say the close missed it): close it now. A
          // database error only refuses this join.
          if (error instanceof AppError) socket.disconnect(true);
          return;
        }
        const projectId = m[1] === "project" ? m[2] : await projectOfRun(services.database, m[2]);
        await authorize(services.database, actor, "project.read", projectId, m[1] === "run" ? { runId: m[2].toLowerCase() } : {});
        await socket.join(`${m[1]}:${m[2].toLowerCase()}`);
        reply({ ok: true });
      } catch (error) {
        reply(failure(error));
      }
    });

    socket.on("leave", async (room, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const m = typeof room === "string" ? ROOM.exec(room) : null;
      // The socket's own id is a room too; only the rooms `join` admits can be left.
      if (!m) return reply(failure(invalid(ROOM_RULE)));
      await socket.leave(`${m[1]}:${m[2].toLowerCase()}`);
      reply({ ok: true });
    });
  });

  // Another process changed access (revoked a key or link, changed a role): forget cached decisions.
  io.on(ACCESS_CHANGED as never, () => forgetAccess());
  // Another process revoked a credential: close the sockets opened with it here.
  io.on(DISCONNECT_CREDENTIAL as never, (credential: unknown) => {
    const c = credential as Partial<Credential> | null;
    if (c && (c.kind === "key" || c.kind === "share" || c.kind === "user") && typeof c.id === "string") registry.disconnect({ kind: c.kind, id: c.id });
  });

  const sink: EventSink = {
    emit(rooms, event, payload, except) {
      let target = io.to(rooms);
      if (except?.length) target = target.except(except);
      target.emit(event, ...([payload] as never as Parameters<ServerEvents[typeof event]>));
    },
  };
  return { io, sink, registry };
}

/**
 * What services may do to sockets. With the Redis adapter (`scaledOut`) every step also reaches
 * the other processes; the in-memory adapter has none to reach (and would only warn).
 */
export function socketControl(io: Server, registry: SocketRegistry, scaledOut: boolean): SocketControl {
  return {
    disconnectCredential: (credential) => {
      registry.disconnect(credential);
      if (scaledOut) io.serverSideEmit(DISCONNECT_CREDENTIAL, credential);
    },
    disconnectRoom: (room) => io.in(room).disconnectSockets(true),
    accessChanged: () => {
      forgetAccess();
      if (scaledOut) io.serverSideEmit(ACCESS_CHANGED);
    },
  };
}
