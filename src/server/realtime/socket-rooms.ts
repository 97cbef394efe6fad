/** Room names. Every socket authenticated by a key also sits in that key's room, so revoking
 * the key can close them all, on every process. */
export const projectRoom = (projectId: string) => `project:${projectId}`;
export const runRoom = (runId: string) => `run:${runId}`;
export const keyRoom = (keyId: string) => `key:${keyId}`;
export const shareRoom = (linkId: string) => `share:${linkId}`;
export const userRoom = (userId: string) => `user:${userId}`;

/** What services may do to open sockets. */
export interface SocketControl {
  disconnectRoom(room: string): void;
  /** Access was revoked or changed: drop cached decisions here and on every other process. */
  accessChanged(): void;
}
