import { parseArgs } from "node:util";
import { loadEnv } from "@/server/env";
import { openDatabase } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { ensureProject } from "@/server/services/projects/ensure-project";
import { createApiKey } from "@/server/services/keys/create-api-key";

const USAGE = `usage: npm run admin -- create-api-key --workspace <slug> --project <slug> --email <email> [--name <name>] [--read-only] [--all-projects]

Creates whatever is missing (user, workspace, project with that user as owner) and prints
the new key alone on the last line of stdout. Uses DATABASE_URL when set, else the embedded
store in CAIRN_DATA_DIR (default ./.cairn; stop a running embedded server first).`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command !== "create-api-key") {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      workspace: { type: "string" }, project: { type: "string" }, email: { type: "string" },
      name: { type: "string" }, "read-only": { type: "boolean" }, "all-projects": { type: "boolean" },
    },
  });
  if (!values.workspace || !values.project || !values.email) {
    console.error(USAGE);
    return 2;
  }
  const env = loadEnv();
  const database = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, maxConnections: 1 });
  try {
    const p = await ensureProject(database, { email: values.email, workspace: values.workspace, project: values.project });
    for (const c of p.created) console.log(`created ${c}`);
    const key = await createApiKey(database, {
      userId: p.userId,
      name: values.name ?? `cli ${new Date().toISOString()}`,
      projectIds: values["all-projects"] ? null : [p.projectId],
      readOnly: values["read-only"] ?? false,
    });
    console.log(`API key ${key.prefix}… for ${values.email} on ${values.workspace}/${values.project}${values["read-only"] ? " (read-only)" : ""}:`);
    console.log(key.secret);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof AppError ? `error: ${error.message}` : error);
    process.exit(1);
  },
);
