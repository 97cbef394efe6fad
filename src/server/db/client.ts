import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import * as schema from "./schema";
import { floatPointsCopyBuffer } from "./binary-copy";
import type { Querier } from "./querier";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "embedded" | "postgres";

export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs raw SQL and returns its rows, whichever driver is underneath. */
  rows<T = Record<string, unknown>>(query: SQL, tx?: Db): Promise<T[]>;
  /** The statements of an open drizzle transaction as a Querier. */
  querier(tx: Db): Querier;
  /**
   * A write transaction tuned for the ingestion writer: on PostgreSQL, BEGIN travels with the
   * first statements and COMMIT with the last ones, so a group costs two round trips.
   */
  writeTransaction<T>(fn: (q: Querier) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = path.resolve(here, "../../../drizzle");

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite under dataDir. */
export async function openDatabase(opts: { url?: string; dataDir?: string; maxConnections?: number; migrate?: boolean }): Promise<Database> {
  const database = opts.url
    ? await openPostgres(opts.url, opts.maxConnections ?? 10)
    : await openEmbedded(opts.dataDir ?? ".cairn");
  if (opts.migrate !== false) await migrateDatabase(database);
  return database;
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  // `socket` is a documented option that the type definitions leave out.
  // JIT compilation pays off for long analytic queries, not for ours: it added 28-45 ms to
  // run-table queries of 100k runs and nothing to the writer's statements.
  const client = postgres(url, {
    max, onnotice: () => {}, prepare: true, connection: { jit: "off" }, ...({ socket: connectNoDelay } as object),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async rows<T>(query: SQL, tx?: Db) {
      if (tx) return (await tx.execute(query)) as unknown as T[];
      // Straight to postgres.js: a named, prepared statement, planned once per connection.
      const { sql: text, params } = dialect.sqlToQuery(query);
      return (await client.unsafe(text, params as never[])) as unknown as T[];
    },
    querier(tx) {
      return {
        pipelined: true,
        rows: async <T>(q: SQL) => (await tx.execute(q)) as unknown as T[],
        all: async (qs) => void (await Promise.all(qs.map((q) => tx.execute(q)))),
      };
    },
    writeTransaction: (fn) => pipelinedTransaction(client, fn),
    close: () => client.end({ timeout: 5 }),
  };
}

const dialect = new PgDialect();
type PgClient = import("postgres").Sql;
type Pending = Promise<unknown>;

/**
 * BEGIN, statements and COMMIT on one reserved connection, each sent without waiting for the
 * one before: PostgreSQL still runs them in order, and after a failure it refuses the rest and
 * turns COMMIT into ROLLBACK, so nothing half-done is kept.
 */
async function pipelinedTransaction<T>(client: PgClient, fn: (q: Querier) => Promise<T>): Promise<T> {
  const conn = await client.reserve();
  const issued: Pending[] = [];
  const send = <R>(text: string, params: unknown[] = []): Promise<R> => {
    // postgres.js queries are lazy: execute() puts this one on the wire now, in call order.
    const p = conn.unsafe(text, params as never[]).execute() as unknown as Promise<R>;
    issued.push(p);
    return p;
  };
  const run = <R>(q: SQL) => {
    const { sql, params } = dialect.sqlToQuery(q);
    return send<R>(sql, params);
  };
  let committed: Pending | null = null;
  try {
    void send("BEGIN");
    const result = await fn({
      pipelined: true,
      rows: <R>(q: SQL) => run<R[]>(q),
      all: async (qs) => {
        const done = qs.map((q) => run(q));
        committed = send("COMMIT");
        await Promise.all([...done, committed]);
      },
      async copyFloatPoints(points) {
        const stream = await conn`COPY float_points (series_id, step, value, ts) FROM STDIN (FORMAT binary)`.writable();
        await new Promise<void>((resolve, reject) => {
          stream.once("error", reject);
          stream.once("finish", resolve);
          stream.end(floatPointsCopyBuffer(points));
        });
      },
    });
    await (committed ?? send("COMMIT"));
    return result;
  } catch (error) {
    await send("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    // Every statement sent has answered (or failed) before the connection goes back.
    await Promise.allSettled(issued);
    conn.release();
  }
}

/**
 * postgres.js's own socket keeps Nagle's algorithm on. COPY sends its data and its end as two
 * writes, and Nagle holds the second until the server's delayed ACK: 40-80 ms per COPY.
 */
function connectNoDelay(options: { host: string[]; port: number[]; path?: string | false }): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = options.path
      ? net.connect({ path: options.path })
      : net.connect({ host: options.host[0], port: options.port[0] ?? 5432, noDelay: true });
    socket.setNoDelay(true);
    socket.once("connect", () => {
      socket.removeListener("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

function embeddedQuerier(tx: Db): Querier {
  const rows = async <T>(q: SQL) => ((await tx.execute(q)) as unknown as { rows: T[] }).rows;
  return {
    pipelined: false,
    rows,
    all: async (qs) => {
      for (const q of qs) await rows(q);
    },
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = path.resolve(dataDir, "pgdata");
  // PGlite creates only the last folder of its path.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "embedded",
    async rows<T>(query: SQL, tx?: Db) {
      const result = (await (tx ?? db).execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    querier: embeddedQuerier,
    writeTransaction: (fn) => db.transaction((tx) => fn(embeddedQuerier(tx as unknown as Db))),
    close: () => client.close(),
  };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "postgres") {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(database.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder });
  }
}
