import { test, expect } from "vitest";
import { databaseKinds } from "./helpers/databases";
import { startApiServer } from "./helpers/api-server";

for (const kind of databaseKinds()) {
  test(`smoke ${kind.name}`, async () => {
    const s = await startApiServer(kind);
    try {
      const health = await s.call("GET", "/api/v1/health");
      expect(health.json.status).toBe("ok");
      const created = await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "r1", fields: { "params/lr": 0.1 }, tags: ["a"] });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      const id = created.json.id;
      const ops = await s.call("POST", `/api/v1/runs/${id}/ops`, { batchId: "b1", ops: [
        { append: "train/loss", points: [{ value: 1 }, { value: 0.5 }, { value: "NaN" }] },
        { append: "log", points: [{ value: "hello" }] },
        { assign: "params/opt", value: "adam" },
      ] });
      expect(ops.status, JSON.stringify(ops.json)).toBe(200);
      const run = await s.call("GET", `/api/v1/runs/${id}`);
      console.log(JSON.stringify(run.json, null, 1));
      const series = await s.call("GET", `/api/v1/runs/${id}/series/train/loss`);
      console.log(JSON.stringify(series.json));
    } finally {
      await s.close();
    }
  });
}
