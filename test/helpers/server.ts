import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/server/db/client";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { createApiKey } from "@/server/services/keys/create-api-key";
import { projectRoot } from "@/server/start-server";
import { openFreshPostgres, tempDir } from "./databases";
import { freePort } from "./free-port";
import { TEST_SETUP_TOKEN } from "./sessions";

export type ServerProcess = {
  url: string;
  apiKey: string;
  workspace: string;
  project: string;
  dataDir: string;
  /** The PostgreSQL database it uses (undefined on PGlite). */
  databaseUrl: string | undefined;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
  /** Hard stop (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM and wait; resolves with the exit code. Data stays for restart(). */
  terminate(): Promise<number | null>;
  /** Starts the process again on the same port and data. */
  restart(): Promise<void>;
  output(): string;
};

/**
 * A real Cairn server process (API and sockets; pages off unless web is true), on PostgreSQL
 * when TEST_DATABASE_URL is set (a fresh database) or on PGlite in a fresh data dir.
 */
export async function startServer(opts: {
  env?: Record<string, string>; dataDir?: string; web?: boolean; embedded?: boolean; port?: number;
  /** Another process's database and key: a second app process on the same PostgreSQL. */
  shareWith?: ServerProcess;
} = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? tempDir("proc");
  let apiKey = "";
  let databaseUrl: string | undefined;
  let dropPg: (() => Promise<void>) | undefined;
  if (opts.shareWith) {
    if (!opts.shareWith.databaseUrl) throw new Error("shareWith needs a server on PostgreSQL");
    databaseUrl = opts.shareWith.databaseUrl;
    apiKey = opts.shareWith.apiKey;
  } else if (process.env.TEST_DATABASE_URL && !opts.embedded) {
    const pg = await openFreshPostgres(process.env.TEST_DATABASE_URL);
    databaseUrl = pg.url;
    dropPg = pg.drop;
    await seed(pg.database);
  } else {
    const database = await openDatabase({ dataDir });
    try { await seed(database); } finally { await database.close(); }
  }
  async function seed(database: Awaited<ReturnType<typeof openDatabase>>) {
    const p = await ensureProject(database, { email: "sdk@example.com", workspace: "acme", project: "iris" });
    apiKey = (await createApiKey(database, { userId: p.userId, name: "test", projectIds: [p.projectId] })).secret;
  }

  const port = opts.port ?? await freePort();
  let child: ChildProcess | null = null;
  let log = "";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    CAIRN_DATA_DIR: dataDir,
    CAIRN_WEB: opts.web ? "true" : "false",
    NEXT_TELEMETRY_DISABLED: "1",
    CAIRN_SETUP_TOKEN: TEST_SETUP_TOKEN,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  };
  if (!databaseUrl) delete env.DATABASE_URL;

  const launch = async () => {
    log += `--- start\n`;
    child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "src/server/main.ts")], { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        if (res.ok) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start in 60 s:\n${log}`);
  };
  const waitExit = (signal: NodeJS.Signals) => new Promise<void>((resolve) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once("exit", () => resolve());
    c.kill(signal);
  });

  await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey, workspace: "acme", project: "iris", dataDir, databaseUrl,
    stop: async () => {
      await waitExit("SIGTERM");
      await dropPg?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => waitExit("SIGKILL"),
    terminate: async () => {
      await waitExit("SIGTERM");
      return (child as ChildProcess | null)?.exitCode ?? null;
    },
    restart: launch,
    output: () => log,
  };
}
