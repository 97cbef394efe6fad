import { pathToFileURL } from "node:url";
import { init } from "../src/sdk/index";

const CALLS = 1_000_000;
const ROUNDS = 5;

/** Answers like the API at once, so the measurement holds the SDK's own cost and no network. */
const stubFetch: typeof fetch = async (input) => {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  return String(input).endsWith("/runs") ? json(201, { id: "bench", key: "B-1", url: "http://bench.invalid/runs/bench" }) : json(200, { applied: 1 });
};

/**
 * Cost of one run.append(path, value, { step }) on the caller's thread: median of ROUNDS
 * rounds of CALLS calls, after one warm-up round. Sending happens between rounds, unmeasured.
 */
export async function benchSdkAppend(): Promise<{ name: string; nsPerCall: number; calls: number }> {
  const run = await init("bench/sdk", { url: "http://bench.invalid", apiKey: "bench", fetch: stubFetch, flushIntervalMs: 3_600_000 });
  const perCall: number[] = [];
  let step = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) run.append("train/loss", i * 1e-6, { step: step++ });
    const ns = Number(process.hrtime.bigint() - t0) / CALLS;
    if (round > 0) perCall.push(ns);
    await run.flush();
  }
  await run.finish();
  perCall.sort((a, b) => a - b);
  const median = perCall[perCall.length >> 1];
  return { name: "sdk append (float, explicit step)", nsPerCall: Math.round(median * 10) / 10, calls: CALLS * ROUNDS };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchSdkAppend()));
}
