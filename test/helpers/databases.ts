import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { openDatabase, type Database } from "@/server/db/client";

export type TestDatabase = { database: Database; url?: string; dataDir: string; drop(): Promise<void> };
export type DatabaseKind = { name: "pglite" | "postgres"; open(): Promise<TestDatabase> };

export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `cairn-${prefix}-`));

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. Each open() is a fresh database. */
export function databaseKinds(): DatabaseKind[] {
  const kinds: DatabaseKind[] = [{ name: "pglite", open: openPglite }];
  if (process.env.TEST_DATABASE_URL) kinds.push({ name: "postgres", open: () => openFreshPostgres(process.env.TEST_DATABASE_URL!) });
  return kinds;
}

async function openPglite(): Promise<TestDatabase> {
  const dataDir = tempDir("pglite");
  const database = await openDatabase({ dataDir });
  return {
    database, dataDir,
    async drop() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new database per test file on the given server, so files never share rows. */
export async function openFreshPostgres(baseUrl: string): Promise<TestDatabase> {
  const { default: postgres } = await import("postgres");
  const name = `cairn_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const dataDir = tempDir("pg");
  const database = await openDatabase({ url: url.toString() });
  return {
    database, url: url.toString(), dataDir,
    async drop() {
      await database.close();
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
