import type { Readable } from "node:stream";

/** Content-addressed bytes. The local directory is the default; an S3-compatible store can
 * implement the same three verbs for several app processes. */
export interface BlobStore {
  /** Streams `body` in, hashing as it goes; stores it under its sha256. Rejects past maxBytes. */
  put(body: Readable, opts?: { maxBytes?: number }): Promise<{ sha256: string; size: number }>;
  /** Streams a blob out, or null when it is not there. */
  get(sha256: string): Promise<Readable | null>;
  has(sha256: string): Promise<boolean>;
}
