/** Who is asking. Decided once per request or socket, then passed to every service verb. */
export type Actor =
  | { kind: "user"; userId: string }
  | { kind: "apiKey"; userId: string; keyId: string; projectIds: string[] | null; readOnly: boolean }
  | { kind: "system"; job: string };
