import type { Actor } from "@/server/authz/actor";
import type { BlobStore } from "@/server/blobs/blob-store";
import type { Database } from "@/server/db/client";
import type { OidcConfig } from "@/server/env";
import type { Publisher } from "@/server/realtime/publisher";
import type { SocketControl } from "@/server/realtime/socket-rooms";
import type { BatchWriter } from "./ingest/batch-writer";

/** The process-wide pieces a service verb may use. */
export type Services = {
  database: Database;
  blobs: BlobStore;
  writer: BatchWriter;
  publisher: Publisher;
  sockets: SocketControl;
  publicUrl: string;
  auth: AuthConfig;
};

/**
 * What sign-in needs, shared with Next's bundle through the registry. `setupToken`: what
 * first-admin set-up asks for (null: nothing).
 */
export type AuthConfig = { secret: string; oidc: OidcConfig | null; setupToken: string | null };

/** What every service verb receives: the services and who is asking. */
export type Ctx = Services & { actor: Actor };
