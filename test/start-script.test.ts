import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "./helpers/free-port";

const root = path.resolve(import.meta.dirname, "..");
let dataDir = "";

beforeAll(async () => {
  // The build itself is web-home's concern; here it only has to exist before we time the start.
  const start = (await import(pathToFileURL(path.join(root, "scripts/start.mjs")).href)) as {
    ensureBuild(opts: { log: (msg: string) => void }): Promise<boolean>;
  };
  await start.ensureBuild({ log: (msg) => console.log(msg) });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-start-"));
}, 300_000);

afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("npm start serves the API and the pages on a fresh embedded store, and exits 0 on SIGTERM", async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", CAIRN_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.CAIRN_WEB;
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`start.mjs exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`no health in 60 s:\n${log}`);
      const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log).not.toContain("next build");
    expect(fs.existsSync(path.join(dataDir, "pgdata"))).toBe(true);

    // A fresh server's first visit offers creating the first account: no set-up beforehand.
    const home = await fetch(`${base}/`, { redirect: "manual" });
    expect(home.status).toBe(307);
    expect(home.headers.get("location")).toMatch(/\/setup$/);
    const setup = await fetch(`${base}/setup`);
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain("Set up Cairn");
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
  expect(await exited, log).toBe(0);
  expect(log).toContain("SIGTERM");
});
