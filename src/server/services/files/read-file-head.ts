import { ReadFileHeadInput, type FileHead } from "@/contracts/run-media";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { readFile } from "./read-file";

/**
 * The first bytes of a file as text for a preview: reads at most maxBytes from the blob
 * stream and closes it, so a preview of a large file costs what it shows.
 */
export async function readFileHead(ctx: Ctx, raw: ReadFileHeadInput): Promise<FileHead> {
  const input = parseInput(ReadFileHeadInput, raw);
  // readFile authorizes (run-scoped) and picks the file-series entry.
  const file = await readFile(ctx, { runId: input.runId, path: input.path, step: input.step === undefined ? undefined : String(input.step) });
  const chunks: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of file.body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      got += buf.length;
      if (got >= input.maxBytes) break;
    }
  } finally {
    file.body.destroy();
  }
  const head = Buffer.concat(chunks).subarray(0, input.maxBytes);
  const truncated = file.size > head.length;
  return { contentType: file.contentType, size: file.size, text: isBinary(head) ? null : decodeWhole(head, truncated), truncated };
}

/** NUL bytes in the first 8 KiB mean binary, as git and grep decide. */
function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/** UTF-8 text; a character cut by the byte limit is dropped rather than shown as U+FFFD. */
function decodeWhole(buf: Buffer, truncated: boolean): string {
  let end = buf.length;
  if (truncated) {
    // Back up over continuation bytes to the start of the last character, and drop it
    // unless it is complete.
    let i = end - 1;
    while (i > 0 && end - i < 4 && (buf[i] & 0xc0) === 0x80) i--;
    const lead = buf[i];
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - i < need) end = i;
  }
  return new TextDecoder("utf-8").decode(buf.subarray(0, end));
}
