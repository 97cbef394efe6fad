import type { Database, Db } from "@/server/db/client";

/** Runs `fn` in one transaction on either driver; `tx` goes to every `database.rows` call inside. */
export function inTransaction<T>(database: Database, fn: (tx: Db) => Promise<T>): Promise<T> {
  return database.db.transaction(async (txAny) => fn(txAny as unknown as Db));
}
