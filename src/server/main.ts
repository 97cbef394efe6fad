import { loadEnv } from "./env";
import { startServer } from "./start-server";

async function main() {
  const env = loadEnv();
  const dev = process.argv.includes("--dev");
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const server = await startServer(env, { dev });
  const store = server.services.database.kind === "embedded" ? `embedded PostgreSQL in ${env.dataDir}` : "PostgreSQL";
  console.log(`Cairn listening on http://localhost:${server.port} (${store})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight batches and closing`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      console.error("error while shutting down", error);
      process.exit(1);
    }
  };
  // A stray rejection (a driver's promise nobody awaited after a connection fault) must not take
  // down a process that is serving everyone else: log it loudly and keep going.
  process.on("unhandledRejection", (reason) => {
    console.error("unhandled rejection (kept serving):", reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason).slice(0, 500));
  });
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
