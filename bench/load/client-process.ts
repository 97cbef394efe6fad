import { jobs, type Jobs } from "./jobs";

// The load generator's own process: it never shares an event loop with the server or the
// orchestrator. Jobs arrive over IPC, one at a time.
type Message = { id: number; job: keyof Jobs; args: never };

process.on("message", (m: Message) => {
  const run = jobs[m.job] as (args: never) => Promise<unknown>;
  run(m.args).then(
    (result) => process.send!({ id: m.id, result }),
    (error: unknown) => process.send!({ id: m.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on("disconnect", () => process.exit(0));
