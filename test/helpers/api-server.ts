import { loadEnv } from "@/server/env";
import { startServer, type RunningServer } from "@/server/start-server";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { createApiKey } from "@/server/services/keys/create-api-key";
import type { DatabaseKind, TestDatabase } from "./databases";

export type ApiServer = {
  server: RunningServer;
  db: TestDatabase;
  url: string;
  key: string;
  projectId: string;
  workspace: string;
  project: string;
  /** fetch against the server with this key (override with headers.authorization). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; headers: Headers }>;
  newKey(opts: { email: string; workspace: string; project: string; readOnly?: boolean }): Promise<{ key: string; projectId: string }>;
  close(): Promise<void>;
};

/** An in-process Cairn (API and sockets, no pages) on a fresh database of `kind`. */
export async function startApiServer(kind: DatabaseKind, extraEnv: Record<string, string> = {}): Promise<ApiServer> {
  const db = await kind.open();
  const env = loadEnv({ PORT: "0", HOST: "127.0.0.1", CAIRN_DATA_DIR: db.dataDir, CAIRN_LOG_LEVEL: "silent", CAIRN_WEB: "false", ...extraEnv });
  const server = await startServer(env, { database: db.database });
  const newKey: ApiServer["newKey"] = async (o) => {
    const p = await ensureProject(db.database, o);
    const k = await createApiKey(db.database, { userId: p.userId, name: "test", projectIds: [p.projectId], readOnly: o.readOnly });
    return { key: k.secret, projectId: p.projectId };
  };
  const first = await newKey({ email: "owner@example.com", workspace: "acme", project: "iris" });
  const call: ApiServer["call"] = async (method, path, body, headers = {}) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${first.key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    return { status: res.status, json, headers: res.headers };
  };
  return {
    server, db, url: server.url, key: first.key, projectId: first.projectId, workspace: "acme", project: "iris", call, newKey,
    async close() {
      await server.close();
      await db.drop();
    },
  };
}
