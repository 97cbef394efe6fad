import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientEvents, PointsAppendedEvent, ServerEvents } from "@/contracts/events";
import { startServer, type ServerProcess } from "./helpers/server";

const redisUrl = process.env.TEST_REDIS_URL;

// Two app processes on one PostgreSQL and one Redis: a viewer connected to one process sees
// what a script writes through the other.
describe.runIf(process.env.TEST_DATABASE_URL && redisUrl)("scale-out over Redis", () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let socket: Socket<ServerEvents, ClientEvents> | undefined;
  beforeAll(async () => {
    a = await startServer({ env: { REDIS_URL: redisUrl! } });
    b = await startServer({ env: { REDIS_URL: redisUrl! }, shareWith: a });
  }, 120_000);
  afterAll(async () => {
    socket?.disconnect();
    await b?.terminate();
    await a?.stop();
  });

  test("events written on one process reach sockets on the other", async () => {
    const post = (server: ServerProcess, path: string, body: unknown) => fetch(server.url + path, {
      method: "POST", headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body),
    }).then((r) => r.json());
    const run = await post(b, "/api/v1/projects/acme/iris/runs", { name: "two processes" });

    socket = connect(a.url, { auth: { apiKey: a.apiKey }, transports: ["websocket"], reconnection: false });
    const joined = await new Promise((resolve) => socket!.emit("join", `run:${run.id}`, resolve));
    expect(joined).toEqual({ ok: true });
    const got = new Promise<PointsAppendedEvent>((resolve) => socket!.on("points.appended", resolve));
    const finished = new Promise((resolve) => socket!.on("run.finished", resolve));

    expect(await post(b, `/api/v1/runs/${run.id}/ops`, { batchId: "1", ops: [{ append: "loss", points: [{ value: 0.5 }] }] })).toEqual({ applied: 1 });
    const event = await got;
    expect(event.series.loss.points).toEqual([expect.objectContaining({ step: 0, value: 0.5 })]);
    await post(b, `/api/v1/runs/${run.id}/finish`, { state: "succeeded" });
    expect(await finished).toMatchObject({ runId: run.id, state: "succeeded" });
  }, 30_000);
});
