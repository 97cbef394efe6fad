import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase } from "@/server/db/client";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { createApiKey } from "@/server/services/keys/create-api-key";

export type BenchDatabase = {
  name: string;
  url: string;
  apiKey: string;
  workspace: string;
  project: string;
  /** A postgres.js client on the bench database, for baselines and checks. */
  sql: postgres.Sql;
  drop(): Promise<void>;
};

/** Creates a new database on `baseUrl`, migrates it and seeds one user, project and API key. */
export async function createBenchDatabase(baseUrl: string): Promise<BenchDatabase> {
  const name = `cairn_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const workspace = "bench";
  const project = "bench";
  let apiKey: string;
  const database = await openDatabase({ url: url.toString(), statementTimeoutMs: 0 });
  try {
    const p = await ensureProject(database, { email: "bench@example.com", workspace, project });
    apiKey = (await createApiKey(database, { userId: p.userId, name: "bench", projectIds: [p.projectId] })).secret;
  } finally {
    await database.close();
  }
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  let dropped = false;
  return {
    name, url: url.toString(), apiKey, workspace, project, sql,
    async drop() {
      if (dropped) return;
      dropped = true;
      await sql.end({ timeout: 5 });
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
