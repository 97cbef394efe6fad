import net from "node:net";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { floatPointsCopyBuffer } from "./binary-copy";
import type { Querier } from "./querier";
import { databaseUnavailable, isDatabaseUnavailable } from "./unavailable";

type PgClient = import("postgres").Sql;
type PgFactory = (url: string, options: Record<string, unknown>) => PgClient;
type Pending = Promise<unknown>;

/** One writer connection: its own postgres.js client (max 1), thrown away whole when it breaks. */
type Slot = {
  client: PgClient | null;
  socket: net.Socket | null;
  /** Counts sockets opened, so a transaction notices that its session was replaced. */
  generation: number;
  failures: number;
  retryAt: number;
  busy: boolean;
  /** Set while a transaction is bound to the open session: no new socket may open then. */
  pinned: boolean;
  /** Called when the socket closes, to fail the transaction on it at once. */
  onLost: (() => void) | null;
};

export type WriteConnectionsOptions = {
  size: number;
  /** Longest a transaction may take, waiting for a connection included. */
  deadlineMs: number;
  connectTimeoutSeconds: number;
  /** postgres.js options shared with the read pool (connection parameters and the like). */
  clientOptions: Record<string, unknown>;
};

const dialect = new PgDialect();
// Reconnecting: at once after the first failure (a terminated backend is usually replaced at
// once), then 100 ms doubling to 2 s while the database stays away.
const backoffMs = (failures: number) => (failures <= 1 ? 0 : Math.min(100 * 2 ** (failures - 2), 2000));

class SessionLost extends Error {
  readonly code = "CONNECTION_CLOSED";
}

/**
 * The ingestion writer's connections to PostgreSQL, apart from the read pool. postgres.js keeps
 * using a reserved connection after its backend was terminated (its queries then never settle)
 * and may replay a queued statement on a fresh connection, outside the transaction it belonged
 * to. So each slot is a one-connection client whose socket we watch: a transaction sends only
 * while the session it began on is alive, every transaction has a deadline, and a broken slot
 * is discarded and reconnected with backoff.
 */
export class WriteConnections {
  private readonly slots: Slot[];
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(private readonly postgres: PgFactory, private readonly url: string, private readonly opts: WriteConnectionsOptions) {
    this.slots = Array.from({ length: opts.size }, () => ({
      client: null, socket: null, generation: 0, failures: 0, retryAt: 0, busy: false, pinned: false, onLost: null,
    }));
  }

  /** False while a slot's last attempt failed on the connection and has not succeeded since. */
  healthy(): boolean {
    return this.slots.every((s) => s.failures === 0);
  }

  /**
   * After failures, tries an empty transaction (once the backoff allows), so health recovers
   * when the database is back even if nobody writes meanwhile.
   */
  async recheck(): Promise<boolean> {
    if (!this.healthy() && this.slots.some((s) => s.failures > 0 && Date.now() >= s.retryAt)) {
      await this.transaction((q) => q.all([])).catch(() => {});
    }
    return this.healthy();
  }

  async transaction<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.opts.deadlineMs;
    const slot = await this.acquire(deadline);
    if (Date.now() < slot.retryAt) {
      // Backing off after failed reconnects: answer at once, the client retries later.
      this.release(slot);
      throw databaseUnavailable();
    }
    try {
      const client = slot.client ?? this.connect(slot);
      const lost = new Promise<never>((_, reject) => {
        slot.onLost = () => reject(new SessionLost("the connection to the database was lost"));
      });
      const result = await withDeadline(Promise.race([this.run(slot, client, fn), lost]), deadline, () => this.discard(slot));
      slot.failures = 0;
      return result;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.discard(slot);
      slot.failures++;
      slot.retryAt = Date.now() + backoffMs(slot.failures);
      throw databaseUnavailable();
    } finally {
      slot.onLost = null;
      slot.pinned = false;
      this.release(slot);
    }
  }

  private release(slot: Slot) {
    slot.busy = false;
    // Every waiter looks again; one whose deadline passed has already given up.
    this.waiting.splice(0).forEach((wake) => wake());
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.client?.end({ timeout: 5 }).catch(() => {})));
  }

  private async acquire(deadline: number): Promise<Slot> {
    for (;;) {
      if (this.closed) throw databaseUnavailable("the server is shutting down");
      const now = Date.now();
      const free = this.slots.find((s) => !s.busy && now >= s.retryAt) ?? this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      const wait = new Promise<void>((resolve) => this.waiting.push(resolve));
      await withDeadline(wait, deadline, () => {});
    }
  }

  private connect(slot: Slot): PgClient {
    // postgres.js reconnects by itself to run statements still queued when a socket closed.
    // Inside a transaction that would run them outside it, so refuse: they fail instead.
    const open = async (o: SocketOptions) => {
      if (slot.pinned || slot.client !== client) throw new SessionLost("the connection was lost mid-transaction");
      const socket = await connectNoDelay(o);
      slot.socket = socket;
      slot.generation++;
      socket.once("close", () => {
        if (slot.socket === socket) slot.onLost?.();
      });
      return socket;
    };
    // Assigned below, before postgres.js first calls `open`; a discarded client never reopens.
    let client: PgClient | null = null;
    client = this.postgres(this.url, {
      ...this.opts.clientOptions,
      max: 1,
      connect_timeout: this.opts.connectTimeoutSeconds,
      // Past the pipeline limit postgres.js queues statements and replays them after a
      // reconnect; a group sends a few dozen, so the limit is never what holds them.
      max_pipeline: 10_000,
      socket: open,
    });
    slot.client = client;
    return client;
  }

  /** Closes the slot's socket and client; statements still waiting on it fail at once. */
  private discard(slot: Slot) {
    slot.socket?.destroy();
    slot.socket = null;
    void slot.client?.end({ timeout: 0 }).catch(() => {});
    slot.client = null;
  }

  /**
   * BEGIN, statements and COMMIT on the slot's connection, each sent without waiting for the
   * one before: PostgreSQL still runs them in order, and after a failure it refuses the rest and
   * turns COMMIT into ROLLBACK, so nothing half-done is kept.
   */
  private async run<T>(slot: Slot, client: PgClient, fn: (q: Querier) => Promise<T>): Promise<T> {
    const issued: Pending[] = [];
    let session: number | null = null;
    // A statement goes out only on the session BEGIN ran on: once that socket is gone,
    // postgres.js would run it on a new connection, outside this transaction.
    const check = () => {
      if (session !== null && (slot.generation !== session || !slot.socket || slot.socket.destroyed)) throw new SessionLost("the connection was lost mid-transaction");
    };
    const send = <R>(text: string, params: unknown[] = []): Promise<R> => {
      check();
      // postgres.js queries are lazy: execute() puts this one on the wire now, in call order.
      const p = client.unsafe(text, params as never[]).execute() as unknown as Promise<R>;
      issued.push(p);
      // Awaited later, or never once the transaction fails: no unhandled rejection either way.
      p.catch(() => {});
      return p;
    };
    const run = <R>(q: SQL) => {
      const { sql, params } = dialect.sqlToQuery(q);
      return send<R>(sql, params);
    };
    let committed: Pending | null = null;
    let failed = false;
    try {
      // The session is the socket BEGIN goes out on. Without an open one, postgres.js would
      // connect first, so wait for BEGIN (one round trip, only after a reconnect).
      let begun: Pending;
      if (slot.socket && !slot.socket.destroyed) {
        session = slot.generation;
        slot.pinned = true;
        begun = send("BEGIN");
        begun.catch(() => {});
      } else {
        await send("BEGIN");
        session = slot.generation;
        slot.pinned = true;
        begun = Promise.resolve();
      }
      const result = await fn({
        pipelined: true,
        rows: <R>(q: SQL) => run<R[]>(q),
        all: async (qs) => {
          const done = qs.map((q) => run(q));
          committed = send("COMMIT");
          await Promise.all([...done, committed]);
        },
        async copyFloatPoints(points) {
          await begun;
          check();
          const copy = client`COPY float_points (series_id, step, value, ts) FROM STDIN (FORMAT binary)`;
          // The query itself rejects too when the connection closes mid-COPY; the stream reports it.
          copy.catch(() => {});
          const stream = await copy.writable();
          await new Promise<void>((resolve, reject) => {
            stream.once("error", reject);
            stream.once("finish", resolve);
            stream.once("close", () => reject(new SessionLost("the connection closed during COPY")));
            stream.end(floatPointsCopyBuffer(points));
          });
        },
      });
      await begun;
      await (committed ?? send("COMMIT"));
      return result;
    } catch (error) {
      failed = true;
      if (!isDatabaseUnavailable(error)) {
        try {
          await send("ROLLBACK");
        } catch { /* the session is gone; the server rolled back */ }
      }
      throw error;
    } finally {
      // Every statement sent has answered (or failed) before the next transaction uses the
      // connection; after a connection fault the slot is discarded instead, so do not wait.
      if (!failed) await Promise.allSettled(issued);
      else issued.forEach((p) => p.catch(() => {}));
    }
  }
}

function withDeadline<T>(work: Promise<T>, deadline: number, onExpiry: () => void): Promise<T> {
  const ms = deadline - Date.now();
  if (ms <= 0) {
    onExpiry();
    work.catch(() => {});
    return Promise.reject(databaseUnavailable("the database did not answer in time"));
  }
  let timer: NodeJS.Timeout;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpiry();
      reject(databaseUnavailable("the database did not answer in time"));
    }, ms);
  });
  work.catch(() => {});
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

type SocketOptions = { host: string[]; port: number[]; path?: string | false };

/**
 * postgres.js's own socket keeps Nagle's algorithm on. COPY sends its data and its end as two
 * writes, and Nagle holds the second until the server's delayed ACK: 40-80 ms per COPY.
 */
export function connectNoDelay(options: SocketOptions): Promise<net.Socket> {
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
