import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { tooLarge } from "@/server/errors";
import type { BlobStore } from "./blob-store";

const SHA256 = /^[0-9a-f]{64}$/;

/** Blobs as files under dir/ab/cdef…; written to a temp file, then renamed into place. */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly dir: string) {
    fs.mkdirSync(path.join(dir, "tmp"), { recursive: true });
  }

  private pathOf(sha256: string) {
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2));
  }

  async put(body: Readable, opts: { maxBytes?: number } = {}) {
    const tmp = path.join(this.dir, "tmp", randomUUID());
    const hash = createHash("sha256");
    let size = 0;
    const limit = opts.maxBytes ?? Infinity;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) return done(tooLarge(`file is larger than ${limit} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, fs.createWriteStream(tmp));
      const sha256 = hash.digest("hex");
      const final = this.pathOf(sha256);
      await fs.promises.mkdir(path.dirname(final), { recursive: true });
      await fs.promises.rename(tmp, final);
      return { sha256, size };
    } catch (error) {
      await fs.promises.rm(tmp, { force: true });
      throw error;
    }
  }

  async get(sha256: string) {
    if (!SHA256.test(sha256)) return null;
    try {
      const handle = await fs.promises.open(this.pathOf(sha256), "r");
      return handle.createReadStream();
    } catch {
      return null;
    }
  }

  async has(sha256: string) {
    return SHA256.test(sha256) && fs.existsSync(this.pathOf(sha256));
  }
}
