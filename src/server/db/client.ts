import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import * as schema from "./schema";
import { floatPointsCopyBuffer, type FloatPointColumns } from "./binary-copy";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "embedded" | "postgres";

export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs raw SQL and returns its rows, whichever driver is underneath. */
  rows<T = Record<string, unknown>>(query: SQL, tx?: Db): Promise<T[]>;
  /** Bulk-loads float points with COPY, where the driver can; undefined elsewhere. */
  copyFloatPoints?: (tx: Db, points: FloatPointColumns) => Promise<void>;
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
  const client = postgres(url, { max, onnotice: () => {}, prepare: true });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async rows<T>(query: SQL, tx?: Db) {
      const result = await (tx ?? db).execute(query);
      return result as unknown as T[];
    },
    async copyFloatPoints(tx, points) {
      // drizzle's postgres.js transaction keeps the driver's transaction client on its session.
      const txClient = (tx as unknown as { session: { client: typeof client } }).session.client;
      const stream = await txClient`COPY float_points (series_id, step, value, ts) FROM STDIN (FORMAT binary)`.writable();
      await new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.once("finish", resolve);
        stream.end(floatPointsCopyBuffer(points));
      });
    },
    close: () => client.end({ timeout: 5 }),
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
