import fs from "node:fs";
import { Readable } from "node:stream";

/**
 * The chart libraries the sandbox frames load, streamed from the installed packages (the
 * frames may load scripts only from Cairn itself). A fixed list: the name in the URL is never
 * a path.
 */
const libraries: Record<string, string> = {
  "echarts.min.js": "echarts/dist/echarts.min.js",
  "plotly.min.js": "plotly.js-dist-min/plotly.min.js",
};

// Node's own resolver at run time, from where this module sits (inside the project): the bundler
// would otherwise turn a require.resolve into one of its module ids.
const resolveFrom = process.getBuiltinModule("node:module").createRequire(import.meta.url);
const located = new Map<string, { file: string; etag: string; size: number }>();

function locate(name: string) {
  let found = located.get(name);
  if (!found) {
    const file = resolveFrom.resolve(libraries[name]);
    const stat = fs.statSync(/*turbopackIgnore: true*/ file);
    found = { file, size: stat.size, etag: `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"` };
    located.set(name, found);
  }
  return found;
}

export function libraryFile(name: string, ifNoneMatch: string | null): Response {
  if (!Object.hasOwn(libraries, name)) return new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
  const { file, size, etag } = locate(name);
  const headers = {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=86400",
    etag,
    "x-content-type-options": "nosniff",
    // Loaded by opaque-origin frames: a no-cors script load needs no CORS header, but say so.
    "cross-origin-resource-policy": "cross-origin",
  };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  const body = Readable.toWeb(fs.createReadStream(/*turbopackIgnore: true*/ file)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { ...headers, "content-length": String(size) } });
}
