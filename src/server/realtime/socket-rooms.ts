/** Room names a socket may join (after authorization) and leave; nothing else is a room. */
export const projectRoom = (projectId: string) => `project:${projectId}`;
export const runRoom = (runId: string) => `run:${runId}`;

/**
 * What a socket was opened with. An API-key socket also counts as its user's, so closing a
 * user's sockets (removed from a workspace) reaches the sockets of their keys too.
 */
export type Credential = { kind: "key" | "share" | "user"; id: string };

/** What services may do to open sockets. */
export interface SocketControl {
  /** Closes every socket opened with this credential, on this process and on every other. */
  disconnectCredential(credential: Credential): void;
  /** Closes the sockets that joined a room (a deleted project's viewers). */
  disconnectRoom(room: string): void;
  /** Access was revoked or changed: drop cached decisions here and on every other process. */
  accessChanged(): void;
}
