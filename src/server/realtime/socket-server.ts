import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientEvents, ServerEvents } from "@/contracts/events";
import { sessionActor } from "@/server/auth/session-actor";
import { authenticateKey } from "@/server/authz/authenticate-key";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { authorize } from "@/server/authz/authorize";
import { forgetAccess } from "@/server/authz/forget-access";
import type { Actor } from "@/server/authz/actor";
import { AppError } from "@/server/errors";
import type { Services } from "@/server/services/context";
import { projectOfRun } from "@/server/services/runs/resolve-run";
import type { EventSink } from "./publisher";
import { keyRoom, shareRoom, userRoom } from "./socket-rooms";

type SocketData = { actor: Actor };

export const ACCESS_CHANGED = "cairn:access-changed";

/** Scripts send their API key, share-link viewers the link's token; browsers their session cookie. */
async function handshakeActor(services: Services, auth: Record<string, unknown> | undefined, cookie: string | undefined): Promise<Actor> {
  if (typeof auth?.apiKey === "string") return authenticateKey(services.database, `Bearer ${auth.apiKey}`);
  if (typeof auth?.shareToken === "string") return authenticateShare(services.database, auth.shareToken);
  const user = await sessionActor(services.database, services.auth.secret, cookie);
  if (user) return user;
  throw new AppError("unauthorized", "sign in, or connect with an API key or a share link");
}

const ROOM = /^(project|run):([0-9a-f-]{36})$/i;

/** socket.io on the app's HTTP server; a socket joins a room only with read access to it. */
export function attachSocketServer(httpServer: HttpServer, services: Services): { io: Server; sink: EventSink } {
  const io = new Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    cors: { origin: false },
  });

  io.use(async (socket, next) => {
    try {
      socket.data.actor = await handshakeActor(services, socket.handshake.auth, socket.handshake.headers.cookie);
      next();
    } catch (error) {
      next(new Error(error instanceof AppError ? error.message : "authentication failed"));
    }
  });

  io.on("connection", (socket) => {
    const actor = socket.data.actor;
    // Rooms by credential, so revoking a key or link, or disabling a user, closes its sockets.
    if (actor.kind === "apiKey") void socket.join(keyRoom(actor.keyId));
    if (actor.kind === "share") void socket.join(shareRoom(actor.linkId));
    if (actor.kind === "user") void socket.join(userRoom(actor.userId));
    socket.on("join", async (room, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      try {
        const m = typeof room === "string" ? ROOM.exec(room) : null;
        if (!m) throw new AppError("invalid", `room must be "project:<id>" or "run:<id>"`);
        const projectId = m[1] === "project" ? m[2] : await projectOfRun(services.database, m[2]);
        await authorize(services.database, socket.data.actor, "project.read", projectId, m[1] === "run" ? { runId: m[2].toLowerCase() } : {});
        await socket.join(`${m[1]}:${m[2].toLowerCase()}`);
        reply({ ok: true });
      } catch (error) {
        const e = error instanceof AppError ? error : new AppError("invalid", "could not join");
        reply({ ok: false, error: { code: e.code, message: e.message } });
      }
    });
    socket.on("leave", async (room, ack) => {
      if (typeof room === "string") await socket.leave(room);
      if (typeof ack === "function") ack({ ok: true });
    });
  });

  // Another process changed access (revoked a key or link, changed a role): forget cached decisions.
  io.on(ACCESS_CHANGED as never, () => forgetAccess());

  const sink: EventSink = {
    emit(rooms, event, payload, except) {
      let target = io.to(rooms);
      if (except?.length) target = target.except(except);
      target.emit(event, ...([payload] as never as Parameters<ServerEvents[typeof event]>));
    },
  };
  return { io, sink };
}
