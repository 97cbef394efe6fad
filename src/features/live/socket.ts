"use client";

import { io, type Socket } from "socket.io-client";
import type { ClientEvents, ServerEvents } from "@/contracts/events";

export type LiveSocket = Socket<ServerEvents, ClientEvents>;

/**
 * One socket.io connection per page. A signed-in browser is recognised by its session cookie;
 * a page opened through a share link sends the link's token instead.
 */
export function connectLive(shareToken?: string): LiveSocket {
  return io({ path: "/socket.io", transports: ["websocket"], auth: shareToken ? { shareToken } : {}, withCredentials: true });
}

/** Joins a room now and again after every reconnect (rooms do not survive a reconnect). */
export function keepJoined(socket: LiveSocket, room: string, onStatus: (s: "live" | "offline" | "denied") => void): () => void {
  const join = () => socket.emit("join", room, (reply) => onStatus(reply.ok ? "live" : "denied"));
  const offline = () => onStatus("offline");
  socket.on("connect", join);
  socket.on("disconnect", offline);
  socket.on("connect_error", offline);
  if (socket.connected) join();
  return () => {
    socket.off("connect", join);
    socket.off("disconnect", offline);
    socket.off("connect_error", offline);
  };
}
