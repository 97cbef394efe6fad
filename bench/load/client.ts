import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Jobs } from "./jobs";

export type LoadClient = {
  pid: number;
  run<K extends keyof Jobs>(job: K, args: Parameters<Jobs[K]>[0]): ReturnType<Jobs[K]>;
  close(): void;
};

/** Forks the load-generator process (see client-process.ts). */
export function startLoadClient(): LoadClient {
  const child = fork(fileURLToPath(new URL("./client-process.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on("message", (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(`load client: ${m.error}`));
    else w?.resolve(m.result);
  });
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load client exited with ${code}`));
    waiting.clear();
  });
  return {
    pid: child.pid!,
    run: ((job: keyof Jobs, args: unknown) => new Promise<unknown>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ id, job, args });
    })) as LoadClient["run"],
    close: () => {
      if (child.connected) child.disconnect();
    },
  };
}
