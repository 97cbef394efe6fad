const hooks = new Set<() => void>();
let installed = false;

/**
 * Runs fn when Node is about to exit with nothing left to do; returns the unregister function.
 * One process listener serves every run, so many runs do not trip the max-listeners warning.
 */
export function onBeforeExit(fn: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("beforeExit", () => {
      for (const hook of hooks) hook();
    });
  }
  hooks.add(fn);
  return () => hooks.delete(fn);
}
