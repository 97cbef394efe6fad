import { afterAll, beforeAll } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { ensureBuild } from "../scripts/start.mjs";
import { startServer, type ServerProcess } from "../test/helpers/server";
import { launchBrowser } from "./browser";

export type Stage = {
  server: ServerProcess;
  browser: Browser;
  /** A call to /api/v1 with the seeded owner's API key, as a training script makes it. */
  api(method: string, path: string, body: unknown): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A fresh browser context carrying these session cookies ("a=b; c=d"). */
  contextWithCookies(cookie: string): Promise<BrowserContext>;
};

/**
 * One production server with pages and one Chromium for the tests of a file, started before
 * them and stopped after. Fields are filled in by beforeAll.
 */
export function useStage(): Stage {
  const stage = {} as Stage;
  beforeAll(async () => {
    await ensureBuild({ log: () => {} });
    [stage.server, stage.browser] = await Promise.all([startServer({ web: true }), launchBrowser()]);
  }, 300_000);
  afterAll(async () => {
    await stage.browser?.close();
    await stage.server?.stop();
  });
  stage.api = async (method, path, body) => {
    const res = await fetch(stage.server.url + path, {
      method, headers: { authorization: `Bearer ${stage.server.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    return res.json();
  };
  stage.contextWithCookies = async (cookie) => {
    const context = await stage.browser.newContext();
    await context.addCookies(cookie.split("; ").map((c) => {
      const eq = c.indexOf("=");
      return { name: c.slice(0, eq), value: c.slice(eq + 1), url: stage.server.url };
    }));
    return context;
  };
  return stage;
}
