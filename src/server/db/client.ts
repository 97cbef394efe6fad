import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import * as schema from "./schema";
import type { Querier } from "./querier";
import { connectNoDelay, WriteConnections } from "./write-connections";

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
  /**
   * False while the writer's connections are failing (health reports "degraded"); after a
   * failure it tries the connection again before answering.
   */
  writerHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = path.resolve(here, "../../../drizzle");

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite under dataDir. */
export async function openDatabase(opts: {
  url?: string; dataDir?: string; maxConnections?: number; migrate?: boolean;
  /** Connections of the ingestion writer, apart from the pool (its concurrency). */
  writerConnections?: number;
  /** Longest a statement may run (0: no limit, for seeding benchmarks). */
  statementTimeoutMs?: number;
}): Promise<Database> {
  const database = opts.url
    ? await openPostgres(opts.url, opts.maxConnections ?? 10, opts.writerConnections ?? 4, opts.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS)
    : await openEmbedded(opts.dataDir ?? ".cairn");
  if (opts.migrate !== false) await migrateDatabase(database);
  return database;
}

// Deadlines for every wait on PostgreSQL: connecting, a dead peer (TCP keepalive), a
// statement that runs away, and a write transaction as a whole.
const CONNECT_TIMEOUT_S = 5;
const KEEPALIVE_S = 10;
const STATEMENT_TIMEOUT_MS = 60_000;
const WRITE_DEADLINE_MS = 8_000;

async function openPostgres(url: string, max: number, writers: number, statementTimeoutMs: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  // JIT compilation pays off for long analytic queries, not for ours: it added 28-45 ms to
  // run-table queries of 100k runs and nothing to the writer's statements.
  const shared = {
    onnotice: () => {}, prepare: true, keep_alive: KEEPALIVE_S,
    connection: { jit: "off", statement_timeout: statementTimeoutMs },
  };
  // `socket` is a documented option that the type definitions leave out.
  const client = postgres(url, { ...shared, max, connect_timeout: CONNECT_TIMEOUT_S, ...({ socket: connectNoDelay } as object) });
  const writer = new WriteConnections(postgres, url, {
    size: writers, deadlineMs: WRITE_DEADLINE_MS, connectTimeoutSeconds: CONNECT_TIMEOUT_S, clientOptions: shared,
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
    writeTransaction: (fn) => writer.transaction(fn),
    writerHealthy: () => writer.recheck(),
    async close() {
      await Promise.all([writer.close(), client.end({ timeout: 5 })]);
    },
  };
}

const dialect = new PgDialect();

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
    writerHealthy: async () => true,
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
