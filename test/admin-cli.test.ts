import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "vitest";
import { projectRoot } from "@/server/start-server";
import { openFreshPostgres, tempDir } from "./helpers/databases";
import { startServer } from "./helpers/server";

const cli = (args: string[], env: Record<string, string>) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "src/server/admin/cli.ts"), ...args], {
    cwd: projectRoot, env: { ...process.env, DATABASE_URL: "", ...env }, encoding: "utf8",
  });
  return r;
};

const args = (email: string) => ["create-api-key", "--workspace", "lab", "--project", "mnist", "--email", email];

test("create-api-key on the embedded store prints a working key on the last line", async () => {
  const dataDir = tempDir("cli");
  const env = { CAIRN_DATA_DIR: dataDir, DATABASE_URL: "" };
  const first = cli(args("ada@example.com"), env);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain("created project lab/mnist (key MNIST)");
  const key = first.stdout.trim().split("\n").at(-1)!;
  expect(key).toMatch(/^cairn_[A-Za-z0-9_-]{43}$/);
  // Again: nothing new to create, a second key.
  const again = cli(args("ada@example.com"), env);
  expect(again.stdout).not.toContain("created project");
  expect(again.stdout.trim().split("\n").at(-1)).not.toBe(key);

  const server = await startServer({ dataDir, embedded: true });
  try {
    const res = await fetch(`${server.url}/api/v1/projects/lab/mnist/runs`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{}",
    });
    expect(res.status).toBe(201);
    expect((await res.json()).key).toBe("MNIST-1");
  } finally {
    await server.stop();
  }
}, 120_000);

test.runIf(process.env.TEST_DATABASE_URL)("create-api-key against DATABASE_URL", async () => {
  const pg = await openFreshPostgres(process.env.TEST_DATABASE_URL!);
  try {
    const r = cli(args("grace@example.com"), { DATABASE_URL: pg.url! });
    expect(r.status, r.stderr).toBe(0);
    const key = r.stdout.trim().split("\n").at(-1)!;
    const rows = await pg.database.rows<{ prefix: string; secret_hash: string }>((await import("drizzle-orm")).sql`SELECT prefix, secret_hash FROM api_keys`);
    expect(rows).toHaveLength(1);
    expect(key.startsWith(rows[0].prefix)).toBe(true);
    expect(rows[0].secret_hash).not.toContain(key); // stored hashed
  } finally {
    await pg.drop();
  }
}, 60_000);

test("bad arguments explain the usage", () => {
  const r = cli(["create-api-key", "--workspace", "Bad Slug", "--project", "p", "--email", "x@y.z"], { CAIRN_DATA_DIR: tempDir("cli-bad") });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("workspace");
  const usage = cli(["nope"], { CAIRN_DATA_DIR: tempDir("cli-usage") });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain("usage: npm run admin -- create-api-key");
});
