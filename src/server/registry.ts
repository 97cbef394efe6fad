import type { Services } from "./services/context";

/**
 * Next bundles its route code apart from main.ts, so each gets its own copy of every module.
 * The services created once at start are shared through globalThis instead.
 */
const KEY = Symbol.for("cairn.services");
type Holder = { [KEY]?: Services };

export function setServices(services: Services | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as Holder)[KEY];
  if (!services) throw new Error("Cairn services are not started (run the server through src/server/main.ts)");
  return services;
}
