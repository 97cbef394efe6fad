import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { WorkGate } from "./work-gate";

// crypto.scrypt runs on libuv's thread pool (4 threads by default), which file reads and
// downloads share. Two hashes at a time leave the other threads free; a flood of sign-ins queues
// here instead. One gate per process: Next's bundle and main.ts each load this module.
const GATE_KEY = Symbol.for("cairn.password-gate");
const holder = globalThis as { [GATE_KEY]?: WorkGate };
export const passwordGate: WorkGate = (holder[GATE_KEY] ??= new WorkGate(2));

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  passwordGate.run(() => new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)))));

// OWASP's scrypt minimum is N=2^17, r=8, p=1; that costs ~128 MiB and ~250 ms here, so sign-in
// stays usable on small machines with N=2^15 (32 MiB, ~60 ms) while still being memory-hard.
const N = 2 ** 15, R = 8, P = 1, KEYLEN = 32;
const maxmem = 256 * N * R;

/** "scrypt$N$r$p$salt$hash", so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEYLEN, { N, r: R, p: P, maxmem });
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const cost = { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r) };
  const key = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expected.length, cost);
  return timingSafeEqual(key, expected);
}

// Hashed against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
let dummy: Promise<string> | null = null;
export async function burnPasswordTime(password: string): Promise<void> {
  dummy ??= hashPassword("not a real password");
  await verifyPassword(password, await dummy);
}

/** What we ask of a new password: length, not composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return "must be at least 8 characters";
  if (password.length > 256) return "must be at most 256 characters";
  return null;
}
