/** Who is asking. Decided once per request or socket, then passed to every service verb. */
export type Actor =
  | { kind: "user"; userId: string }
  | { kind: "apiKey"; userId: string; keyId: string; projectIds: string[] | null; readOnly: boolean }
  // A share link reveals one project's runs (runIds null: a table view) or just the listed runs.
  | { kind: "share"; linkId: string; projectId: string; runIds: string[] | null }
  | { kind: "system"; job: string };

/** The id recorded as the actor in audit rows and shown in logs. */
export const actorId = (actor: Actor): string =>
  actor.kind === "system" ? actor.job : actor.kind === "apiKey" ? actor.keyId : actor.kind === "share" ? actor.linkId : actor.userId;

/** The account acting (directly or through one of its keys); null for share links and the system. */
export const userIdOf = (actor: Actor): string | null => (actor.kind === "user" || actor.kind === "apiKey" ? actor.userId : null);
