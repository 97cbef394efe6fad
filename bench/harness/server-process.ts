import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../test/helpers/free-port";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type ServerProcess = {
  url: string;
  port: number;
  pid: number;
  /** The last lines the server printed (for failure reports). */
  tail(): string;
  stop(): Promise<void>;
};

/**
 * The server under test: `node --import tsx src/server/main.ts` in its own process, API only
 * (CAIRN_WEB=false), on the given database. Extra node flags (e.g. --cpu-prof) via nodeArgs;
 * another entry script (bench/profile's instrumented server) via entry.
 */
export async function startServerProcess(opts: { databaseUrl: string; nodeArgs?: string[]; env?: Record<string, string>; entry?: string }): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: opts.databaseUrl,
    CAIRN_DATA_DIR: dataDir,
    CAIRN_WEB: "false",
    CAIRN_LOG_LEVEL: "error",
    NEXT_TELEMETRY_DISABLED: "1",
    ...opts.env,
  };
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", opts.entry ?? path.join(projectRoot, "src/server/main.ts")], {
    cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (d: Buffer) => {
    log += d.toString();
    if (log.length > 20_000) log = log.slice(-10_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start in 60 s:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, port, pid: child.pid!,
    tail: () => log.slice(-4_000),
    stop: () => new Promise<void>((resolve) => {
      const done = () => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const force = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.once("exit", () => {
        clearTimeout(force);
        done();
      });
      child.kill("SIGTERM");
    }),
  };
}
