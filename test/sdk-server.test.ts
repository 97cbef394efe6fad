import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunView, SeriesSummary } from "../src/contracts/runs";
import { init } from "../src/sdk/index";
import { startServer, type ServerProcess } from "./helpers/server";

// The SDK against the real server process: what a training script logs is what the API reads back.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const range = (n: number) => [...Array(n).keys()];

async function read<T>(server: ServerProcess, urlPath: string): Promise<T> {
  const res = await fetch(server.url + urlPath, { headers: { authorization: `Bearer ${server.apiKey}` } });
  expect(res.status, urlPath).toBe(200);
  return (res.headers.get("content-type")?.startsWith("application/json") ? res.json() : Buffer.from(await res.arrayBuffer())) as Promise<T>;
}

type Points = { points: { step: number; value: number | string; ts: number }[] };
const points = (server: ServerProcess, runId: string, p: string) =>
  read<Points>(server, `/api/v1/runs/${runId}/series/${p}?maxPoints=100000`).then((r) => r.points);

describe("SDK against a Cairn server", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("logs fields, series, tags and files, and finishes", async () => {
    const started = new Date(Date.UTC(2025, 5, 1, 12));
    const run = await init(`${server.workspace}/${server.project}`, {
      url: server.url,
      apiKey: server.apiKey,
      name: "sdk run",
      tags: ["sdk", "b"],
      fields: { "params/lr": 0.001, "params/optimizer": "adam", "params/started": started },
      flushIntervalMs: 50,
      maxBatchPoints: 2500,
    });
    run.assign("params/epochs", 3);
    run.assign("params/augment", true);
    const n = 3000;
    for (let i = 0; i < n; i++) {
      run.append("train/loss", 1 / (i + 1), { step: i });
      run.append("train/acc", i / n); // steps left to the server: 0, 1, 2…
      run.append("train/log", `step ${i}`, { step: i * 2 });
      if (i % 500 === 0) await sleep(1);
    }
    for (const v of [1, NaN, Infinity, -Infinity, 2]) run.append("train/grad_norm", v);
    run.addTags("a");
    run.removeTags("b");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-sdk-"));
    const weights = randomBytes(1_500_000);
    fs.writeFileSync(path.join(dir, "weights.bin"), weights);
    const config = Buffer.from(JSON.stringify({ layers: 3 }));
    run.upload("artifacts/weights.bin", path.join(dir, "weights.bin"));
    run.upload("artifacts/config.json", config);
    run.upload("samples/predictions", Buffer.from("first"), { step: 0, name: "epoch 0", contentType: "text/plain" });
    run.upload("samples/predictions", Buffer.from("second"), { step: 1 });
    await run.finish();

    const view = await read<RunView>(server, `/api/v1/runs/${run.id}`);
    expect(view).toMatchObject({ id: run.id, key: run.key, name: "sdk run", state: "succeeded" });
    expect(view.tags.filter((t) => !t.startsWith("sys"))).toEqual(["a", "sdk"]);
    expect(view.fields).toMatchObject({
      "params/lr": 0.001,
      "params/optimizer": "adam",
      "params/started": started.toISOString(),
      "params/epochs": 3,
      "params/augment": true,
    });
    expect(view.series["train/loss"]).toEqual<SeriesSummary>({
      type: "floatSeries", count: n, firstStep: 0, lastStep: n - 1, last: 1 / n, min: 1 / n, max: 1,
    });
    expect(view.series["train/acc"]).toMatchObject({ type: "floatSeries", count: n, firstStep: 0, lastStep: n - 1 });
    expect(view.series["train/log"]).toMatchObject({ type: "stringSeries", count: n, lastStep: 2 * (n - 1), last: `step ${n - 1}` });
    expect(view.series["train/grad_norm"]).toMatchObject({ type: "floatSeries", count: 5 });
    expect(view.files["artifacts/weights.bin"]).toMatchObject({ type: "file", sha256: sha256(weights), size: weights.length });
    expect(view.files["artifacts/config.json"]).toMatchObject({ sha256: sha256(config), contentType: "application/json" });
    expect(view.files["samples/predictions"]).toMatchObject({ type: "fileSeries", count: 2, lastStep: 1 });

    const loss = await points(server, run.id, "train/loss");
    expect(loss.map((p) => p.step)).toEqual(range(n));
    expect(loss.map((p) => p.value)).toEqual(range(n).map((i) => 1 / (i + 1)));
    expect((await points(server, run.id, "train/acc")).map((p) => p.step)).toEqual(range(n));
    expect((await points(server, run.id, "train/grad_norm")).map((p) => p.value)).toEqual([1, "NaN", "Infinity", "-Infinity", 2]);
    const stored = await read<Buffer>(server, `/api/v1/runs/${run.id}/files/artifacts/weights.bin`);
    expect(stored.equals(weights)).toBe(true);
  });

  it("resumes a run by customId", async () => {
    const options = { url: server.url, apiKey: server.apiKey, customId: `resume-${Date.now()}` };
    const first = await init(`${server.workspace}/${server.project}`, options);
    first.append("m", 1, { step: 0 });
    await first.flush();
    const again = await init(`${server.workspace}/${server.project}`, options);
    expect([again.id, again.resumed, first.resumed]).toEqual([first.id, true, false]);
    again.append("m", 2, { step: 1 });
    await again.finish();
    expect((await points(server, again.id, "m")).map((p) => p.value)).toEqual([1, 2]);
  });
});

describe("SDK across a server crash", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("loses nothing and doubles nothing when the server is killed and restarted mid-run", { timeout: 180_000 }, async () => {
    const run = await init(`${server.workspace}/${server.project}`, {
      url: server.url,
      apiKey: server.apiKey,
      flushIntervalMs: 20,
      maxBatchPoints: 1000,
      retryBaseMs: 50,
      retryMaxDelayMs: 500,
    });
    const n = 20_000;
    let bounce: Promise<void> | null = null;
    for (let i = 0; i < n; i++) {
      // Explicit steps would expose a lost point; server-assigned steps would expose a doubled batch.
      run.append("train/loss", Math.sin(i), { step: i });
      run.append("train/count", i);
      if (i % 100 === 99) await sleep(3);
      if (i === 6000) {
        bounce = (async () => {
          await server.kill();
          await sleep(300);
          await server.restart();
        })();
      }
    }
    await bounce;
    await run.finish();

    const view = await read<RunView>(server, `/api/v1/runs/${run.id}`);
    expect(view.state).toBe("succeeded");
    for (const p of ["train/loss", "train/count"]) {
      expect(view.series[p], p).toMatchObject({ count: n, firstStep: 0, lastStep: n - 1 });
      const got = await points(server, run.id, p);
      expect(got.map((pt) => pt.step), p).toEqual(range(n));
    }
    expect((await points(server, run.id, "train/count")).map((p) => p.value)).toEqual(range(n));
  });
});
