// `npm start`: builds the pages once if there is no production build, then runs the server.
//
//   npm start                 build if there is no build or the sources changed since, then serve
//   npm start -- --build      rebuild first (after pulling new code)
//
// Also importable: tests call ensureBuild() so that parallel test files never run two builds
// into the same .next directory at once.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildIdFile = path.join(root, ".next", "BUILD_ID");

// Sources the pages are built from: a build older than any of them is stale (after a pull).
const buildInputs = ["src/app", "src/components", "src/features", "src/server", "src/contracts", "src/proxy.ts", "public", "next.config.ts", "package-lock.json"];

function newestMtime(p) {
  let stat;
  try { stat = fs.statSync(p); } catch { return 0; }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** True when a production build exists and no page source changed after it. */
export const hasBuild = () => {
  if (!fs.existsSync(buildIdFile)) return false;
  const built = fs.statSync(buildIdFile).mtimeMs;
  return buildInputs.every((p) => newestMtime(path.join(root, p)) <= built);
};

/** Runs `next build` unless a production build exists (or always, with force); resolves when done. */
export async function ensureBuild({ force = false, log = console.log } = {}) {
  if (!force && hasBuild()) return false;
  const release = await lockBuild(log);
  try {
    // Someone else may have built while we waited for the lock.
    if (!force && hasBuild()) return false;
    log(force ? "Cairn: building the web pages (next build)…" : "Cairn: no up-to-date production build; building the web pages (next build)…");
    const started = Date.now();
    const nextBin = createRequire(path.join(root, "package.json")).resolve("next/dist/bin/next");
    const code = await run(process.execPath, [nextBin, "build"], {
      // Next must build in production mode whatever the caller's NODE_ENV (vitest sets "test").
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (code !== 0) throw new BuildError(`next build failed (exit code ${code})`, code);
    log(`Cairn: build finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return true;
  } finally {
    release();
  }
}

export class BuildError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

// The child being run now, so that signals reach it (the build, then the server).
let current = null;
let stopSignal = null;

function run(command, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", ...opts });
    current = child;
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      current = null;
      resolve(code ?? 128 + (os.constants.signals[signal] ?? 0));
    });
  });
}

/**
 * An exclusive lock around `next build`, as a directory created atomically; a lock left
 * behind by a process that died is taken over.
 */
async function lockBuild(log) {
  const dir = path.join(os.tmpdir(), `cairn-build-${createHash("sha1").update(root).digest("hex").slice(0, 12)}.lock`);
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "pid"), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    const owner = Number(readOr(path.join(dir, "pid"), "0"));
    if (owner > 0 && !alive(owner)) {
      fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (!said) {
      log("Cairn: another process is building; waiting for it…");
      said = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

async function main(argv) {
  const stop = (signal) => {
    stopSignal ??= signal;
    // Ctrl-C in a terminal reaches the child too; it treats a repeated signal as one.
    if (current && current.exitCode === null) current.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));

  // `npm start` passes a SIGTERM to its `sh -c`, which dies without passing it on (docker
  // stop, process managers). Under npm, losing our parent therefore means: stop.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      stop("SIGTERM");
    }, 500);
    watch.unref();
  }

  const web = process.env.CAIRN_WEB !== "false";
  if (web) {
    try {
      await ensureBuild({ force: argv.includes("--build") });
    } catch (error) {
      if (stopSignal) return 130;
      console.error(`Cairn: ${error.message}`);
      return error instanceof BuildError ? error.code || 1 : 1;
    }
  }
  if (stopSignal) return 130;

  return run(process.execPath, ["--import", "tsx", path.join(root, "src/server/main.ts")], {
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
