import type { Actor } from "@/server/authz/actor";
import type { BlobStore } from "@/server/blobs/blob-store";
import type { Database } from "@/server/db/client";
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
};

/** What every service verb receives: the services and who is asking. */
export type Ctx = Services & { actor: Actor };
