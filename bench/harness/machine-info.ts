import os from "node:os";
import type postgres from "postgres";

export type MachineInfo = {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage1m: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  platform: string;
};

export async function machineInfo(sql: postgres.Sql): Promise<MachineInfo> {
  const [{ version }] = await sql<{ version: string }[]>`SELECT version()`;
  const settings = await sql<{ name: string; setting: string; unit: string | null }[]>`
    SELECT name, setting, unit FROM pg_settings
    WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'max_wal_size', 'work_mem', 'wal_compression')`;
  return {
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    loadAverage1m: Number(os.loadavg()[0].toFixed(2)),
    node: process.version,
    postgres: version.split(" on ")[0],
    postgresSettings: Object.fromEntries(settings.map((s) => [s.name, s.unit ? `${s.setting} ${s.unit}` : s.setting])),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
