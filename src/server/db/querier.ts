import type { SQL } from "drizzle-orm";
import type { FloatPointColumns } from "./binary-copy";

/**
 * Statements inside one open transaction. The writer talks to this rather than to a driver,
 * so the same code runs on PGlite and on a pipelined PostgreSQL connection.
 */
export interface Querier {
  /** Runs one statement and returns its rows. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Sends statements with no order among them (beyond the order given); where the driver
   * can, they travel together, and the transaction's COMMIT may travel with them.
   */
  all(queries: SQL[]): Promise<void>;
  /** True when rows() calls issued together travel together (one round trip). */
  readonly pipelined: boolean;
  /** Bulk-loads float points with COPY, where the driver can. */
  copyFloatPoints?: (points: FloatPointColumns) => Promise<void>;
}
