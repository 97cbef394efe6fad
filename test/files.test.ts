import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer, type ApiServer } from "./helpers/api-server";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe.each(databaseKinds())("files on $name", (kind) => {
  let s: ApiServer;
  let runId: string;
  beforeAll(async () => {
    s = await startApiServer(kind);
    runId = (await s.call("POST", "/api/v1/projects/acme/iris/runs", {})).json.id;
  });
  afterAll(async () => { await s?.close(); });

  const put = (path: string, body: Buffer | ReadableStream, contentType: string, query = "", extra: Record<string, string> = {}) =>
    fetch(`${s.url}/api/v1/runs/${runId}/files/${path}${query}`, {
      method: "PUT", body, headers: { authorization: `Bearer ${s.key}`, "content-type": contentType, ...extra }, duplex: "half",
    } as RequestInit);
  const get = (path: string, query = "") => fetch(`${s.url}/api/v1/runs/${runId}/files/${path}${query}`, { headers: { authorization: `Bearer ${s.key}` } });

  test("a file round trip keeps bytes, sha256 and content type", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const r = await put("model/weights.bin", bytes, "application/x-weights");
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ path: "model/weights.bin", sha256: sha(bytes), size: bytes.length });
    const back = await get("model/weights.bin");
    expect(back.status).toBe(200);
    expect(back.headers.get("content-type")).toBe("application/x-weights");
    expect(back.headers.get("x-content-sha256")).toBe(sha(bytes));
    const got = Buffer.from(await back.arrayBuffer());
    expect(sha(got)).toBe(sha(bytes));
    const view = (await s.call("GET", `/api/v1/runs/${runId}`)).json;
    expect(view.files["model/weights.bin"]).toEqual({ type: "file", sha256: sha(bytes), size: bytes.length, contentType: "application/x-weights" });
  });

  test("a streamed upload of unknown length", async () => {
    const chunks = Array.from({ length: 20 }, () => randomBytes(100_000));
    const expected = sha(Buffer.concat(chunks));
    const stream = new ReadableStream({
      pull(controller) {
        const c = chunks.shift();
        if (c) controller.enqueue(c); else controller.close();
      },
    });
    const r = await put("data/stream.bin", stream, "application/octet-stream");
    expect(r.status).toBe(201);
    expect((await r.json()).sha256).toBe(expected);
  });

  test("file series entries with step, name and description", async () => {
    const images = [0, 1, 2].map((i) => Buffer.from(`png-${i}-${"x".repeat(i * 100)}`));
    for (const [i, img] of images.entries()) {
      const r = await put("images/samples", img, "image/png", `?step=${i * 10}&name=epoch${i}&description=${encodeURIComponent(`sample ${i}`)}`);
      expect(r.status).toBe(201);
      expect(await r.json()).toMatchObject({ path: "images/samples", sha256: sha(img), size: img.length, step: i * 10 });
    }
    const auto = await put("images/samples", Buffer.from("next"), "image/png", "?name=auto");
    expect((await auto.json()).step).toBe(21);
    const second = await get("images/samples", "?step=10");
    expect(Buffer.from(await second.arrayBuffer())).toEqual(images[1]);
    const latest = await get("images/samples");
    expect(await latest.text()).toBe("next");
    expect((await get("images/samples", "?step=5")).status).toBe(404);
    const back = await put("images/samples", Buffer.from("old"), "image/png", "?step=3");
    expect(back.status).toBe(400);
    const view = (await s.call("GET", `/api/v1/runs/${runId}`)).json;
    expect(view.files["images/samples"]).toMatchObject({ type: "fileSeries", count: 4, lastStep: 21 });
  });

  test("a retried upload with the same Idempotency-Key stores one entry", async () => {
    const img = Buffer.from("frame");
    const first = await put("images/retry", img, "image/png", "?step=5", { "idempotency-key": "up-1" });
    const again = await put("images/retry", img, "image/png", "?step=5", { "idempotency-key": "up-1" });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    const auto1 = await (await put("images/retry", img, "image/png", "?name=x", { "idempotency-key": "up-2" })).json();
    const auto2 = await (await put("images/retry", img, "image/png", "?name=x", { "idempotency-key": "up-2" })).json();
    expect(auto2).toEqual(auto1);
    expect(auto1.step).toBe(6);
    const view = (await s.call("GET", `/api/v1/runs/${runId}`)).json;
    expect(view.files["images/retry"]).toMatchObject({ count: 2, lastStep: 6 });
  });

  test("identical content is stored once", async () => {
    const bytes = Buffer.from("same bytes");
    const a = await (await put("a/one.txt", bytes, "text/plain")).json();
    const b = await (await put("a/two.txt", bytes, "text/plain")).json();
    expect(a.sha256).toBe(b.sha256);
  });

  test("file paths are checked and downloads are sandboxed", async () => {
    expect((await put("sys/evil", Buffer.from("x"), "text/plain")).status).toBe(400);
    expect((await put("a%20b/c", Buffer.from("x"), "text/plain")).status).toBe(400);
    expect((await get("missing")).status).toBe(404);
    await put("report.html", Buffer.from("<script>alert(1)</script>"), "text/html");
    const r = await get("report.html");
    expect(r.headers.get("content-security-policy")).toBe("sandbox");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
