/** Room names. Every socket authenticated by a key also sits in that key's room, so revoking
 * the key can close them all, on every process. */
export const projectRoom = (projectId: string) => `project:${projectId}`;
export const runRoom = (runId: string) => `run:${runId}`;
export const keyRoom = (keyId: string) => `key:${keyId}`;

/** What services may do to open sockets. */
export interface SocketControl {
  disconnectRoom(room: string): void;
}
