import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startServer, type ServerProcess } from "./helpers/server";
import { adminSession } from "./helpers/sessions";

const root = path.resolve(import.meta.dirname, "..");

// Pages need a production build; scripts/start.mjs builds once and serializes parallel builds.
async function ensureBuild(): Promise<void> {
  const start = (await import(pathToFileURL(path.join(root, "scripts/start.mjs")).href)) as {
    ensureBuild(opts: { log: (msg: string) => void }): Promise<boolean>;
  };
  await start.ensureBuild({ log: (msg) => console.log(msg) });
}

let server: ServerProcess;
let cookie = "";

beforeAll(async () => {
  await ensureBuild();
  server = await startServer({ web: true });
  cookie = await adminSession(server.url);
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function api<T>(method: string, urlPath: string, body: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(server.url + urlPath, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

async function page(urlPath: string): Promise<{ status: number; html: string }> {
  const res = await fetch(server.url + urlPath, { headers: { cookie }, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** The text of each cell of the first table row whose first cell reads `first`. */
function row(html: string, first: string): string[] | undefined {
  for (const [, inner] of html.matchAll(/<tr>(.*?)<\/tr>/g)) {
    const cells = [...inner.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map(([, c]) => c.replace(/<!-- -->|<[^>]+>/g, "").trim());
    if (cells[0] === first) return cells;
  }
  return undefined;
}

/** The value shown for a leaf of the run page's field tree. */
function leaf(html: string, path: string): string | undefined {
  const m = new RegExp(`data-path="${path}"[\\s\\S]*?class="tree-value"[^>]*>(.*?)</span>`).exec(html);
  return m?.[1].replace(/<!-- -->|<[^>]+>/g, "").trim();
}

type Created = { id: string; key: string; url: string };

test("the home page lists projects with their latest runs, and a run's page shows its fields and series", async () => {
  const first = await api<Created>("POST", "/api/v1/projects/acme/iris/runs", {
    name: "baseline-sgd",
    tags: ["smoke"],
    fields: { "params/lr": 0.1, "params/optimizer": "sgd" },
  });
  expect(first.status, JSON.stringify(first.json)).toBe(201);
  expect(first.json.key).toBe("IRIS-1");
  const ops = await api<{ applied: number }>("POST", `/api/v1/runs/${first.json.id}/ops`, {
    batchId: "b1",
    ops: [{ append: "train/loss", points: [{ value: 1 }, { value: 0.5 }] }],
  });
  expect(ops.status, JSON.stringify(ops.json)).toBe(200);
  const second = await api<Created>("POST", "/api/v1/projects/acme/iris/runs", { name: "<script>alert(1)</script>" });
  expect(second.status).toBe(201);

  const home = await page("/");
  expect(home.status).toBe(200);
  expect(home.html).toContain("acme/iris");
  expect(home.html).toContain("2 runs");
  expect(row(home.html, "IRIS-1")).toEqual(["IRIS-1", "baseline-sgd", "running", "just now"]);
  expect(home.html).toContain(`href="/acme/iris/runs/IRIS-1"`);
  // Newest first, and names are text, never markup.
  expect(home.html.indexOf(">IRIS-2<")).toBeGreaterThan(0);
  expect(home.html.indexOf(">IRIS-2<")).toBeLessThan(home.html.indexOf(">IRIS-1<"));
  expect(home.html).not.toContain("<script>alert(1)</script>");
  expect(home.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

  // The URL the API hands out is the run's page.
  const runPath = new URL(first.json.url).pathname;
  expect(runPath).toBe("/acme/iris/runs/IRIS-1");
  const run = await page(runPath);
  expect(run.status).toBe(200);
  expect(run.html).toContain("<title>IRIS-1 baseline-sgd · Cairn</title>");
  expect(run.html).toContain(">baseline-sgd<");
  expect(run.html).toContain(">smoke<");
  expect(leaf(run.html, "params/lr")).toBe("0.1");
  expect(leaf(run.html, "params/optimizer")).toBe("sgd");
  // path, points, last step, last, min, max
  expect(row(run.html, "train/loss")).toEqual(["train/loss", "2", "1", "0.5", "0.5", "1"]);

  for (const missing of ["/acme/iris/runs/IRIS-99", "/acme/iris/runs/not-a-key", "/acme/nope/runs/IRIS-1"]) {
    expect((await page(missing)).status, missing).toBe(404);
  }

  // Signed out, pages send the visitor to sign in and show nothing of the project.
  for (const p of ["/", runPath]) {
    const anon = await fetch(server.url + p, { redirect: "manual" });
    expect(anon.status, p).toBe(307);
    expect(anon.headers.get("location"), p).toContain("/signin");
  }
});
