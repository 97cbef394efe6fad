import type { Actor } from "@/server/authz/actor";
import type { Credential } from "./socket-rooms";

type Closable = { disconnect(close?: boolean): unknown };

const keyOf = (c: Credential) => `${c.kind}:${c.id.toLowerCase()}`;

/** The credentials a socket acting as `actor` answers to. */
export function credentialsOf(actor: Actor): Credential[] {
  if (actor.kind === "apiKey") return [{ kind: "key", id: actor.keyId }, { kind: "user", id: actor.userId }];
  if (actor.kind === "share") return [{ kind: "share", id: actor.linkId }];
  if (actor.kind === "user") return [{ kind: "user", id: actor.userId }];
  return [];
}

/**
 * This process's open sockets by credential. It is server state the client cannot touch (a
 * room could be left by the client), so revocation finds every socket opened with a key or link.
 */
export class SocketRegistry<S extends Closable = Closable> {
  private readonly sockets = new Map<string, Set<S>>();

  add(socket: S, credentials: Credential[]): void {
    for (const c of credentials) {
      const k = keyOf(c);
      let set = this.sockets.get(k);
      if (!set) this.sockets.set(k, (set = new Set()));
      set.add(socket);
    }
  }

  remove(socket: S, credentials: Credential[]): void {
    for (const c of credentials) {
      const k = keyOf(c);
      const set = this.sockets.get(k);
      if (!set) continue;
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(k);
    }
  }

  /** Closes this process's sockets opened with the credential; returns how many. */
  disconnect(credential: Credential): number {
    const set = this.sockets.get(keyOf(credential));
    if (!set) return 0;
    const open = [...set];
    for (const socket of open) socket.disconnect(true);
    return open.length;
  }

  count(credential: Credential): number {
    return this.sockets.get(keyOf(credential))?.size ?? 0;
  }
}
