import fs from "node:fs";
import type postgres from "postgres";
import { round } from "./stats";

const TICK_S = 0.01; // USER_HZ is 100 on Linux

/** utime + stime of a process in seconds, or 0 if it is gone. */
function processCpuS(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_S;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine, summed over cores. */
function machineCpuS(): { busy: number; total: number } {
  const line = fs.readFileSync("/proc/stat", "latin1").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = v[3] + (v[4] ?? 0);
  return { busy: (total - idle) * TICK_S, total: total * TICK_S };
}

export type CpuReport = {
  wallS: number;
  /** CPU seconds: the Cairn server process, PostgreSQL (this database's backends plus WAL writer, checkpointer, bgwriter), the load generator. */
  serverS: number;
  postgresS: number;
  clientS: number;
  /** Busy CPU seconds of the machine beyond the three above (other work on the box). */
  otherS: number;
  /** Machine busy fraction over the interval (1 = both cores fully busy). */
  machineBusy: number;
};

/**
 * Splits where CPU went during a measurement. PostgreSQL backends are found through
 * pg_stat_activity, so a backend that exits mid-interval is missed (rare: pools stay open).
 * The meter's own backend counts too (its queries are negligible): leaving it out would
 * miss a pooled connection that does work between begin() and end().
 */
export class CpuMeter {
  private start = new Map<number, number>();
  private t0 = 0;
  private m0 = { busy: 0, total: 0 };

  constructor(private readonly sql: postgres.Sql, private readonly dbName: string, private readonly pids: { server: number; client?: number }) {}

  private async pgPids(): Promise<number[]> {
    const rows = await this.sql<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = ${this.dbName}
         OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`;
    return rows.map((r) => r.pid);
  }

  async begin(): Promise<void> {
    this.start.clear();
    for (const pid of await this.pgPids()) this.start.set(pid, processCpuS(pid));
    this.start.set(this.pids.server, processCpuS(this.pids.server));
    if (this.pids.client) this.start.set(this.pids.client, processCpuS(this.pids.client));
    this.m0 = machineCpuS();
    this.t0 = performance.now();
  }

  async end(): Promise<CpuReport> {
    const wallS = (performance.now() - this.t0) / 1000;
    const m1 = machineCpuS();
    const delta = (pid: number) => processCpuS(pid) - (this.start.get(pid) ?? 0);
    const serverS = delta(this.pids.server);
    const clientS = this.pids.client ? delta(this.pids.client) : 0;
    let postgresS = 0;
    for (const pid of new Set([...this.start.keys(), ...(await this.pgPids())])) {
      if (pid !== this.pids.server && pid !== this.pids.client) postgresS += delta(pid);
    }
    const busy = m1.busy - this.m0.busy;
    return {
      wallS: round(wallS),
      serverS: round(serverS),
      postgresS: round(postgresS),
      clientS: round(clientS),
      otherS: round(Math.max(0, busy - serverS - postgresS - clientS)),
      machineBusy: round(busy / Math.max(1e-9, m1.total - this.m0.total), 3),
    };
  }
}

/**
 * Waits (at most `maxWaitS`) until other work on the machine stays under `maxCores` over a
 * 2-second sample, so a measurement does not start in the middle of someone's build or test
 * run. Call it while the benchmark itself is idle. Returns the last sample.
 */
export async function waitForQuiet(maxCores = 0.3, maxWaitS = 60): Promise<{ busyCores: number; waitedS: number }> {
  const t0 = performance.now();
  for (;;) {
    const a = machineCpuS();
    await new Promise((r) => setTimeout(r, 2_000));
    const b = machineCpuS();
    const busyCores = round((b.busy - a.busy) / 2, 2);
    const waitedS = round((performance.now() - t0) / 1000, 0);
    if (busyCores <= maxCores || waitedS >= maxWaitS) return { busyCores, waitedS };
  }
}
