import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "./env";
import { openDatabase, type Database } from "./db/client";
import { LocalBlobStore } from "./blobs/local-blob-store";
import { BatchWriter } from "./services/ingest/batch-writer";
import { publishOutcome } from "./services/ingest/publish-outcome";
import { pruneBatches } from "./services/ingest/prune-batches";
import { Publisher } from "./realtime/publisher";
import { attachSocketServer, socketControl } from "./realtime/socket-server";
import { originOf } from "./realtime/socket-origin";
import { ensureAuthSecret } from "./auth/auth-secret";
import { resolveSetupToken, setupUrl } from "./auth/setup-token";
import { needsSetup } from "./services/accounts/instance-settings";
import { CLIENT_IP_HEADER } from "./auth/auth-options";
import { forgetAccess } from "./authz/forget-access";
import { useRedisAdapter } from "./realtime/redis-adapter";
import { createIngestHandler } from "./ingest/handler";
import { setServices } from "./registry";
import type { AuthConfig, Services } from "./services/context";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const version: string = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).version;

export type RunningServer = {
  url: string;
  port: number;
  services: Services;
  close(): Promise<void>;
};

type Log = (msg: string, err?: unknown) => void;

async function authConfig(database: Database, env: Env): Promise<AuthConfig> {
  const secret = await ensureAuthSecret(database, env.authSecret);
  return { secret, oidc: env.oidc, setupToken: resolveSetupToken(env.setupToken, secret) };
}

/**
 * Assembles one Cairn process: database, blob store, group-commit writer, publisher, the REST
 * door, socket.io and (unless `web` is false) Next.js, all on one HTTP server.
 */
export async function startServer(env: Env, opts: { web?: boolean; dev?: boolean; log?: Log; database?: Database } = {}): Promise<RunningServer> {
  const log: Log = opts.log ?? ((msg, err) => (env.logLevel === "silent" ? undefined : console.error(msg, err ?? "")));
  const database = opts.database ?? await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, writerConnections: env.writerConcurrency });
  const publisher = new Publisher();
  const writer = new BatchWriter(database, {
    concurrency: database.kind === "embedded" ? 1 : env.writerConcurrency,
    maxGroupPoints: 200_000,
    maxQueuedPoints: env.writerQueuePoints,
    onCommitted: (done) => {
      for (const { outcome } of done) if (outcome.ok && outcome.plan) publishOutcome(publisher, outcome.plan);
    },
  });
  const services: Services = {
    database,
    blobs: new LocalBlobStore(path.join(env.dataDir, "blobs")),
    writer,
    publisher,
    sockets: { disconnectCredential: () => {}, disconnectRoom: () => {}, accessChanged: forgetAccess }, // replaced once socket.io is attached below
    publicUrl: env.publicUrl ?? `http://localhost:${env.port}`,
    auth: await authConfig(database, env),
  };
  setServices(services);

  const ingest = createIngestHandler(services, { version, log });
  let web: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | null = null;
  if (opts.web ?? env.web) {
    const { default: next } = await import("next");
    const app = next({ dev: opts.dev ?? false, dir: projectRoot, hostname: "localhost", port: env.port });
    await app.prepare();
    const handle = app.getRequestHandler();
    web = (req, res) => handle(req, res);
  }

  // Requests being read or written: shutdown lets them finish before the writer drains.
  let inFlight = 0;
  let quiet: (() => void) | null = null;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/api/v1/")) {
      inFlight++;
      res.once("close", () => {
        if (--inFlight === 0) quiet?.();
      });
      void ingest(req, res);
    } else if (web) {
      req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
      web(req, res).catch((err) => {
        log("page error", err);
        if (!res.headersSent) res.writeHead(500).end("internal server error");
      });
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  server.keepAliveTimeout = 65_000;
  // Origins whose pages may open a socket with the session cookie; known once listening.
  let allowedOrigins: ReadonlySet<string> = new Set();
  const { io, sink, registry } = attachSocketServer(server, services, { allowedOrigins: () => allowedOrigins });
  const closeRedis = env.redisUrl ? await useRedisAdapter(io, env.redisUrl) : null;
  services.sockets = socketControl(io, registry, closeRedis !== null);
  publisher.attach(sink);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.port, env.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.port;
  if (!env.publicUrl) services.publicUrl = `http://localhost:${port}`;
  // Without a configured public URL the default names this machine, so its other loopback
  // names on the same port are the same server (a different port never is).
  const loopback = env.publicUrl ? [] : [`http://127.0.0.1:${port}`, `http://[::1]:${port}`];
  allowedOrigins = new Set([services.publicUrl, ...loopback, ...env.allowedOrigins].map(originOf).filter((o): o is string => o !== null));
  // next-auth builds its callback and redirect URLs from these; read per request.
  process.env.NEXTAUTH_URL ??= services.publicUrl;
  process.env.NEXTAUTH_SECRET ??= services.auth.secret;
  // Whoever reads the server's output may claim a fresh instance; a visitor from outside may not.
  if (web && env.logLevel !== "silent" && await needsSetup(database)) {
    console.log(`Set-up is pending: open ${setupUrl(services.publicUrl, services.auth.setupToken)} to create the first admin`);
  }

  const pruning = setInterval(() => {
    pruneBatches(database).catch((err) => log("pruning batch ids failed", err));
  }, 60 * 60 * 1000);
  pruning.unref();

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    services,
    close: () => (closing ??= (async () => {
      clearInterval(pruning);
      // Stop accepting; let requests already in flight reach the writer, then commit them.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          quiet = resolve;
          setTimeout(resolve, 20_000).unref();
        });
      }
      await writer.drain();
      publisher.flushAll();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await closeRedis?.();
      server.closeAllConnections();
      await stopped;
      if (!opts.database) await database.close();
      setServices(undefined);
    })()),
  };
}
