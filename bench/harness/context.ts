import type { BenchDatabase } from "./fresh-database";
import type { ServerProcess } from "./server-process";
import type { LoadClient } from "../load/client";
import { CpuMeter } from "./cpu-meter";

/** What every benchmark gets: a fresh database, the server process and the load generator. */
export type BenchContext = {
  db: BenchDatabase;
  server: ServerProcess;
  client: LoadClient;
  log(msg: string): void;
  /** Creates `n` runs through the API; returns their ids. */
  createRuns(n: number, name: string): Promise<string[]>;
  /** A CPU meter over server, PostgreSQL and the given client process (default: the load generator). */
  cpuMeter(clientPid?: number): CpuMeter;
};

export function makeContext(db: BenchDatabase, server: ServerProcess, client: LoadClient, log: (msg: string) => void): BenchContext {
  return {
    db, server, client, log,
    async createRuns(n, name) {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${server.url}/api/v1/projects/${db.workspace}/${db.project}/runs`, {
          method: "POST",
          headers: { authorization: `Bearer ${db.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ name: `${name}-${i}` }),
        });
        const body = (await res.json()) as { id?: string };
        if (res.status !== 201 || !body.id) throw new Error(`creating a run failed: ${res.status} ${JSON.stringify(body)}`);
        ids.push(body.id);
      }
      return ids;
    },
    cpuMeter: (clientPid = client.pid) => new CpuMeter(db.sql, db.name, { server: server.pid, client: clientPid }),
  };
}
