import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientEvents, ServerEvents } from "@/contracts/events";
import { authenticateKey } from "@/server/authz/authenticate-key";
import { authorize } from "@/server/authz/authorize";
import type { Actor } from "@/server/authz/actor";
import { AppError } from "@/server/errors";
import type { Services } from "@/server/services/context";
import { projectOfRun } from "@/server/services/runs/resolve-run";
import type { EventSink } from "./publisher";
import { keyRoom } from "./socket-rooms";

type SocketData = { actor: Actor };

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
      const key = socket.handshake.auth?.apiKey;
      socket.data.actor = await authenticateKey(services.database, typeof key === "string" ? `Bearer ${key}` : undefined);
      next();
    } catch (error) {
      next(new Error(error instanceof AppError ? error.message : "authentication failed"));
    }
  });

  io.on("connection", (socket) => {
    const actor = socket.data.actor;
    if (actor.kind === "apiKey") void socket.join(keyRoom(actor.keyId));
    socket.on("join", async (room, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      try {
        const m = typeof room === "string" ? ROOM.exec(room) : null;
        if (!m) throw new AppError("invalid", `room must be "project:<id>" or "run:<id>"`);
        const projectId = m[1] === "project" ? m[2] : await projectOfRun(services.database, m[2]);
        await authorize(services.database, socket.data.actor, "project.read", projectId);
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

  const sink: EventSink = {
    emit(rooms, event, payload, except) {
      let target = io.to(rooms);
      if (except?.length) target = target.except(except);
      target.emit(event, ...([payload] as never as Parameters<ServerEvents[typeof event]>));
    },
  };
  return { io, sink };
}
