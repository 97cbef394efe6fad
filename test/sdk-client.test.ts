import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CairnHttpError, CairnSendError, init, type InitOptions, type Run } from "../src/sdk/index";

// A test double of the network only: it records requests and answers like the API, or fails on cue.

type Req = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer; json: any; at: number };
type Action = { status: number; json?: unknown; headers?: Record<string, string> } | "drop" | "apply-then-drop";
type Point = { step?: number; value: unknown; ts: number };

class FakeApi {
  requests: Req[] = [];
  /** Return an action to override the normal answer to a request. */
  intercept: (req: Req) => Action | undefined = () => undefined;
  delayMs = 0;
  applied = new Set<string>();
  series = new Map<string, Point[]>();
  fields = new Map<string, unknown>();
  tags = new Set<string>();
  files = new Map<string, { body: Buffer; contentType: string; query: string }>();
  finished: string | null = null;
  inFlight = 0;
  maxInFlight = 0;
  url = "";
  private server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  ops(): Req[] {
    return this.requests.filter((r) => r.url.endsWith("/ops"));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const isJson = String(req.headers["content-type"]).startsWith("application/json") && !req.url!.includes("/files/");
    const r: Req = { method: req.method!, url: req.url!, headers: req.headers, body, json: isJson ? JSON.parse(body.toString()) : null, at };
    this.requests.push(r);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const action = this.intercept(r);
    let answer: { status: number; json?: unknown; headers?: Record<string, string> };
    if (action === "drop") answer = { status: 0 };
    else if (action === "apply-then-drop") {
      this.apply(r);
      answer = { status: 0 };
    } else answer = action ?? this.apply(r);
    this.inFlight--;
    if (answer.status === 0) return void req.socket.destroy();
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(JSON.stringify(answer.json ?? {}));
  }

  private apply(r: Req): { status: number; json?: unknown } {
    if (r.headers.authorization !== "Bearer key-1") return { status: 401, json: { error: { code: "unauthorized", message: "bad key" } } };
    if (r.method === "POST" && r.url.endsWith("/runs")) {
      return { status: 201, json: { id: "run-1", key: "P-1", url: `${this.url}/runs/run-1` } };
    }
    if (r.url.endsWith("/ops")) {
      if (this.applied.has(r.json.batchId)) return { status: 200, json: { applied: 0, duplicate: true } };
      this.applied.add(r.json.batchId);
      for (const op of r.json.ops) {
        if ("append" in op) {
          const list = this.series.get(op.append) ?? [];
          list.push(...op.points);
          this.series.set(op.append, list);
        } else if ("assign" in op) this.fields.set(op.assign, op.value);
        else if ("addTags" in op) for (const t of op.addTags) this.tags.add(t);
        else if ("removeTags" in op) for (const t of op.removeTags) this.tags.delete(t);
      }
      return { status: 200, json: { applied: r.json.ops.length } };
    }
    if (r.method === "PUT" && r.url.includes("/files/")) {
      const [p, query = ""] = r.url.split("/files/")[1].split("?");
      this.files.set(decodeURIComponent(p), { body: r.body, contentType: String(r.headers["content-type"]), query });
      const sha256 = createHash("sha256").update(r.body).digest("hex");
      return { status: 201, json: { path: p, sha256, size: r.body.length } };
    }
    if (r.url.endsWith("/finish")) {
      this.finished = r.json.state;
      return { status: 200, json: {} };
    }
    return { status: 404, json: { error: { code: "not_found", message: "no route" } } };
  }
}

const errorOf = (status: number, message: string) => ({ status, json: { error: { code: "x", message } } });

let api: FakeApi;

beforeEach(async () => {
  api = await new FakeApi().start();
});
afterEach(() => api.stop());

async function open(options: InitOptions = {}): Promise<Run> {
  return init("acme/vision", { url: api.url, apiKey: "key-1", flushIntervalMs: 20, retryBaseMs: 10, retryMaxDelayMs: 50, ...options });
}

describe("init", () => {
  it("creates the run with a generated customId, fields and tags, and sends Date fields as the first operation", async () => {
    const run = await open({ name: "r", tags: ["t1"], fields: { "params/lr": 0.01, "params/started": new Date(0) } });
    expect([run.id, run.key, run.resumed]).toEqual(["run-1", "P-1", false]);
    const create = api.requests[0];
    expect(create.url).toBe("/api/v1/projects/acme/vision/runs");
    expect(create.json).toMatchObject({ name: "r", tags: ["t1"], fields: { "params/lr": 0.01 } });
    expect(create.json.customId).toMatch(/^[0-9a-f-]{36}$/);
    await run.flush();
    expect(api.ops()[0].json.ops).toEqual([{ assign: "params/started", value: "1970-01-01T00:00:00.000Z", type: "datetime" }]);
  });

  it("reads CAIRN_URL, CAIRN_API_KEY and CAIRN_PROJECT when not given", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { CAIRN_URL: api.url, CAIRN_API_KEY: "key-1", CAIRN_PROJECT: "ws/proj" });
    try {
      const run = await init();
      expect(run.id).toBe("run-1");
      expect(api.requests[0].url).toBe("/api/v1/projects/ws/proj/runs");
    } finally {
      process.env = saved;
    }
    await expect(init({ url: api.url })).rejects.toThrow(/API key/);
  });

  it("retries 503 and dropped connections with the same customId", async () => {
    let n = 0;
    api.intercept = () => (++n === 1 ? errorOf(503, "starting") : n === 2 ? "drop" : undefined);
    const run = await open({ customId: "mine" });
    expect(run.id).toBe("run-1");
    expect(api.requests.map((r) => r.json.customId)).toEqual(["mine", "mine", "mine"]);
  });

  it("fails at once on a permanent error, with the server's message", async () => {
    const err = await init("acme/vision", { url: api.url, apiKey: "wrong" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnHttpError);
    expect(String(err)).toMatch(/401 bad key/);
    expect(api.requests).toHaveLength(1);
  });

  it("gives up after maxRetryMs when nothing listens", async () => {
    const url = api.url;
    await api.stop();
    const err = await init("acme/vision", { url, apiKey: "k", maxRetryMs: 300, retryBaseMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnHttpError);
    expect(String(err)).toMatch(/gave up after .*ECONNREFUSED/);
    api = await new FakeApi().start(); // for afterEach
  });
});

describe("sending", () => {
  it("sends one request at a time, bounded in size, every point once and in order", async () => {
    api.delayMs = 20;
    const run = await open({ maxBatchPoints: 1000 });
    for (let i = 0; i < 10_000; i++) {
      run.append("loss", i, { step: i });
      if (i % 1500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await run.flush();
    expect(api.maxInFlight).toBe(1);
    expect(api.ops().length).toBeGreaterThanOrEqual(10);
    expect(api.series.get("loss")!.map((p) => p.step)).toEqual([...Array(10_000).keys()]);
    for (const r of api.ops()) {
      expect(r.json.ops.reduce((n: number, o: any) => n + (o.points?.length ?? 1), 0)).toBeLessThanOrEqual(1000);
    }
  });

  it("sends by age without flush()", async () => {
    const run = await open();
    run.append("m", 1);
    await expect.poll(() => api.series.get("m")?.length, { timeout: 2000 }).toBe(1);
  });

  it("retries 503, 429 and dropped connections with the same batchId and body; nothing is applied twice", async () => {
    const run = await open();
    let n = 0;
    api.intercept = (r) => {
      if (!r.url.endsWith("/ops")) return undefined;
      n++;
      if (n === 1) return errorOf(503, "busy");
      if (n === 2) return { ...errorOf(429, "slow down"), headers: { "retry-after": "1" } };
      if (n === 3) return "apply-then-drop";
      return undefined;
    };
    run.append("m", 1, { step: 0 });
    run.assign("f", "x");
    await run.flush();
    const ops = api.ops();
    expect(ops).toHaveLength(4);
    expect(new Set(ops.map((r) => r.body.toString())).size).toBe(1);
    expect(ops[3].json.batchId).toBe(ops[0].json.batchId);
    // Retry-After: 1 was honoured.
    expect(ops[2].at - ops[1].at).toBeGreaterThanOrEqual(900);
    expect(api.series.get("m")).toHaveLength(1);
  });

  it("drops what the server refuses, isolates the bad operation, and reports it in flush() once", async () => {
    const run = await open();
    api.intercept = (r) =>
      r.url.endsWith("/ops") && r.json.ops.some((o: any) => o.assign === "bad") ? errorOf(400, "bad: type conflict") : undefined;
    run.append("m", 1);
    run.assign("good", 1);
    run.assign("bad", 2);
    run.addTags("t");
    const err = await run.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnSendError);
    expect((err as CairnSendError).failures).toEqual([{ status: 400, code: "x", message: "bad: type conflict", what: 'assign "bad"' }]);
    expect(String(err)).toMatch(/assign "bad": 400 bad: type conflict/);
    expect([api.series.get("m")?.length, api.fields.get("good"), [...api.tags]]).toEqual([1, 1, ["t"]]);
    await expect(run.flush()).resolves.toBeUndefined();
    // finish() still marks the run finished, and names everything that was lost.
    await expect(run.finish()).rejects.toThrow(/assign "bad"/);
    expect(api.finished).toBe("succeeded");
  });

  it("rejects flush() naming what is unsent when the server is unreachable for maxRetryMs, and delivers it once the server is back", async () => {
    const run = await open({ maxRetryMs: 300 });
    let down = true;
    api.intercept = (r) => (down && r.url.endsWith("/ops") ? errorOf(503, "down") : undefined);
    for (let i = 0; i < 100; i++) run.append("m", i, { step: i });
    const err = await run.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnSendError);
    expect((err as CairnSendError).unsent).toMatch(/100 points\/operations.*503 down/);
    // finish() gives up too, and leaves the run running, so it can be called again.
    await expect(run.finish()).rejects.toThrow(/not sent yet/);
    expect(api.finished).toBeNull();
    down = false;
    await run.finish();
    expect(api.series.get("m")!.map((p) => p.step)).toEqual([...Array(100).keys()]);
    expect(api.finished).toBe("succeeded");
  });

  it("makes finish() idempotent and closes the run to more logging", async () => {
    const run = await open();
    run.append("m", 1);
    await Promise.all([run.finish("aborted"), run.finish("aborted")]);
    await run.finish();
    expect(api.requests.filter((r) => r.url.endsWith("/finish"))).toHaveLength(1);
    expect(api.finished).toBe("aborted");
    expect(() => run.append("m", 2)).toThrow(/finished/);
    expect(() => run.upload("f", Buffer.from("x"))).toThrow(/finished/);
  });
});

describe("upload", () => {
  it("streams files from disk and sends copies of buffers, with types, encoded paths and series query", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-sdk-"));
    const file = path.join(dir, "model.bin");
    fs.writeFileSync(file, Buffer.alloc(300_000, 7));
    const run = await open();
    const bytes = Buffer.from('{"a":1}');
    run.upload("artifacts/model.bin", file);
    run.upload("config/train.json", bytes);
    bytes.fill(0); // the SDK copied it at the call
    run.upload("samples/img", Buffer.from("png"), { step: 3, name: "cat", contentType: "image/png" });
    await run.flush();
    expect(api.files.get("artifacts/model.bin")!.body.equals(fs.readFileSync(file))).toBe(true);
    expect(api.files.get("config/train.json")).toEqual({ body: Buffer.from('{"a":1}'), contentType: "application/json", query: "" });
    expect(api.files.get("samples/img")).toMatchObject({ contentType: "image/png", query: "step=3&name=cat" });
    const put = api.requests.find((r) => r.url.includes("model.bin"))!;
    expect(put.headers["content-length"]).toBe("300000");
    expect(put.headers["idempotency-key"]).toBeTruthy();
  });

  it("re-reads the file on retry, and reports refused and changed files in flush()", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-sdk-"));
    const file = path.join(dir, "a.txt");
    fs.writeFileSync(file, "hello");
    const run = await open();
    let n = 0;
    api.intercept = (r) => {
      if (!r.url.includes("/files/")) return undefined;
      if (r.url.includes("/big")) return errorOf(413, "too large");
      return ++n === 1 ? "drop" : undefined;
    };
    run.upload("a", file);
    await run.flush();
    const puts = api.requests.filter((r) => r.url.endsWith("/files/a"));
    expect(puts.map((r) => r.body.toString())).toEqual(["hello", "hello"]);
    expect(puts[0].headers["idempotency-key"]).toBe(puts[1].headers["idempotency-key"]);

    run.upload("big", Buffer.alloc(10));
    await expect(run.flush()).rejects.toThrow(/upload "big": 413 too large/);

    fs.writeFileSync(file, "hello");
    run.upload("again", file);
    fs.writeFileSync(file, "changed!");
    await expect(run.flush()).rejects.toThrow(/changed or vanished/);
    expect(() => run.upload("missing", path.join(dir, "nope"))).toThrow(/not a readable file/);
  });
});

describe("the process", () => {
  const sdk = path.resolve("src/sdk/index.ts");
  function script(body: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-sdk-"));
    const file = path.join(dir, "script.mts");
    fs.writeFileSync(file, `import { init } from ${JSON.stringify(sdk)};\n${body}\n`);
    return file;
  }
  function runNode(file: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", file], {
        env: { ...process.env, CAIRN_URL: api.url, CAIRN_API_KEY: "key-1", CAIRN_PROJECT: "a/b" },
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
  }

  it("exits by itself when the script forgets finish(), sending what was logged first", async () => {
    const file = script(`const run = await init({ flushIntervalMs: 60_000 });\nfor (let i = 0; i < 5000; i++) run.append("m", i);`);
    const { code, stderr } = await runNode(file);
    expect([code, stderr]).toEqual([0, ""]);
    expect(api.series.get("m")).toHaveLength(5000);
  });

  it("neither crashes nor hangs when the server fails", async () => {
    api.intercept = (r) => (r.url.endsWith("/ops") ? errorOf(503, "down") : undefined);
    const file = script(`const run = await init({ flushIntervalMs: 10 });\nrun.append("m", 1);\nawait new Promise((r) => setTimeout(r, 300));`);
    const { code, stderr } = await runNode(file);
    expect([code, stderr]).toEqual([0, ""]);
    expect(api.ops().length).toBeGreaterThan(0);
  });
});
