import fs from "node:fs";
import { fileURLToPath } from "node:url";

type SdkResult = { name: string; nsPerCall: number; calls: number };

/**
 * Runs benchSdkAppend from bench/sdk-append.ts when that file exists (it is written
 * separately); otherwise reports the benchmark as skipped.
 */
export async function benchSdkAppendGuarded(): Promise<{ skipped: true; note: string } | (SdkResult & { skipped: false })> {
  const file = fileURLToPath(new URL("./sdk-append.ts", import.meta.url));
  if (!fs.existsSync(file)) return { skipped: true, note: "bench/sdk-append.ts does not exist yet" };
  // A computed specifier: the file may be absent when this one is type-checked.
  const specifier = "./sdk-append.ts";
  const mod = (await import(specifier)) as { benchSdkAppend?: () => Promise<SdkResult> };
  if (typeof mod.benchSdkAppend !== "function") return { skipped: true, note: "bench/sdk-append.ts exports no benchSdkAppend()" };
  const r = await mod.benchSdkAppend();
  return { skipped: false, ...r };
}
