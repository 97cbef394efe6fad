import http from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startServer, type ServerProcess } from "./helpers/server";

let server: ServerProcess;
beforeAll(async () => { server = await startServer(); });
afterAll(async () => { await server?.stop(); });

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(server.url + path, {
    method, headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
};

test("SIGTERM lets an in-flight batch finish, then the process exits cleanly", async () => {
  const { json: run } = await api("POST", "/api/v1/projects/acme/iris/runs", { name: "shutdown" });
  const points = Array.from({ length: 50_000 }, (_, i) => ({ step: i, value: Math.sin(i) }));
  const body = Buffer.from(JSON.stringify({ batchId: "last", ops: [{ append: "loss", points }] }));

  // Send half the body, stop the server, then the rest: the request is in flight at SIGTERM.
  let finishBody!: () => void;
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/runs/${run.id}/ops`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json", "content-length": body.length },
    }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.write(body.subarray(0, body.length >> 1));
    finishBody = () => req.end(body.subarray(body.length >> 1));
  });
  await new Promise((r) => setTimeout(r, 200));
  const exited = server.terminate();
  await new Promise((r) => setTimeout(r, 300));
  // New connections are refused while the old request finishes.
  await expect(fetch(`${server.url}/api/v1/health`)).rejects.toThrow();
  finishBody();
  const answer = await response;
  expect(answer.status, answer.text).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ applied: 1 });
  expect(await exited).toBe(0);

  await server.restart();
  const { json: view } = await api("GET", `/api/v1/runs/${run.id}`);
  expect(view.series.loss).toMatchObject({ count: 50_000, firstStep: 0, lastStep: 49_999 });
}, 120_000);
