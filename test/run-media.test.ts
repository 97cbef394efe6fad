import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCaller } from "@/server/api/root";
import { authenticateShare } from "@/server/authz/authenticate-share";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { databaseKinds } from "./helpers/databases";

type Caller = ReturnType<typeof createCaller>;

const LINES = 1200;
const lineText = (i: number) => (i % 100 === 7 ? `step ${i}: ERROR disk 100% full_` : `step ${i}: loss ok`);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe.each(databaseKinds())("run media procedures on $name", (kind) => {
  let s: ApiServer;
  let runA: string;
  let runB: string;
  let owner: Caller;
  let linkA: Caller;
  let linkB: Caller;
  const big = "x".repeat(64 * 1024 - 1) + "é" + "tail"; // "é" straddles the 64 KiB cut

  const put = async (runId: string, path: string, body: string | Uint8Array, contentType: string, query = "") => {
    const res = await fetch(`${s.url}/api/v1/runs/${runId}/files/${path}${query}`, {
      method: "PUT", headers: { authorization: `Bearer ${s.key}`, "content-type": contentType }, body: typeof body === "string" ? body : new Blob([body as Uint8Array<ArrayBuffer>]),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };

  beforeAll(async () => {
    s = await startApiServer(kind);
    runA = (await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "a" })).json.id;
    runB = (await s.call("POST", "/api/v1/projects/acme/iris/runs", { name: "b" })).json.id;
    for (let from = 0; from < LINES; from += 400) {
      const points = Array.from({ length: 400 }, (_, j) => ({ step: (from + j) * 2, value: lineText(from + j) }));
      const r = await s.call("POST", `/api/v1/runs/${runA}/ops`, { batchId: `l${from}`, ops: [{ append: "stdout", points }, { append: "loss", points: [{ value: from }] }] });
      expect(r.status).toBe(200);
    }
    await put(runA, "notes/readme.txt", "hello\nworld\n", "text/plain");
    await put(runA, "big.txt", big, "text/plain");
    await put(runA, "data.csv", 'a,b\n1,"x, y"\n', "text/csv");
    await put(runA, "weights.bin", new Uint8Array([1, 0, 2, 0, 3]), "application/octet-stream");
    for (const step of [1, 5, 9]) await put(runA, "images/samples", `img${step}`, "image/png", `?step=${step}&name=epoch${step}&description=batch%20${step}`);
    await put(runB, "images/samples", "b-img", "image/png", "?step=5&name=b5");

    const [user] = await s.db.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'owner@example.com'`);
    owner = createCaller({ services: s.server.services, actor: { kind: "user", userId: user.id } });
    const shareA = await owner.shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId: runA }, label: "" });
    const shareB = await owner.shareLinks.create({ projectId: s.projectId, target: { kind: "run", runId: runB }, label: "" });
    linkA = createCaller({ services: s.server.services, actor: await authenticateShare(s.db.database, shareA.token) });
    linkB = createCaller({ services: s.server.services, actor: await authenticateShare(s.db.database, shareB.token) });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  test("files lists files and file series in path order with sizes, types and step ranges", async () => {
    const { files } = await owner.runMedia.files({ runId: runA });
    expect(files.map((f) => f.path)).toEqual(["big.txt", "data.csv", "images/samples", "notes/readme.txt", "weights.bin"]);
    expect(files.find((f) => f.path === "notes/readme.txt")).toMatchObject({ type: "file", size: 12, contentType: "text/plain", count: null });
    expect(files.find((f) => f.path === "images/samples")).toMatchObject({ type: "fileSeries", count: 3, firstStep: 1, lastStep: 9, contentType: "image/png" });
  });

  test("fileEntries pages a file series by step with names and descriptions", async () => {
    const first = await owner.runMedia.fileEntries({ runId: runA, path: "images/samples", limit: 2 });
    expect(first.runKey).toMatch(/^IRIS-\d+$/);
    expect(first.entries).toEqual([
      expect.objectContaining({ step: 1, name: "epoch1", description: "batch 1", size: 4, contentType: "image/png" }),
      expect.objectContaining({ step: 5, name: "epoch5", description: "batch 5" }),
    ]);
    expect(first).toMatchObject({ nextAfterStep: 5, hasEarlier: false });
    const rest = await owner.runMedia.fileEntries({ runId: runA, path: "images/samples", afterStep: 5, limit: 2 });
    expect(rest.entries.map((e) => e.step)).toEqual([9]);
    expect(rest.nextAfterStep).toBeNull();
    expect(rest.hasEarlier).toBe(true);
    // From the end: the latest entries, and "the entry at or before a step".
    const latest = await owner.runMedia.fileEntries({ runId: runA, path: "images/samples", fromEnd: true, limit: 2 });
    expect(latest).toMatchObject({ entries: [{ step: 5 }, { step: 9 }], hasEarlier: true, nextAfterStep: null });
    const at = (toStep: number) => owner.runMedia.fileEntries({ runId: runA, path: "images/samples", toStep, fromEnd: true, limit: 1 });
    expect((await at(5)).entries.map((e) => e.step)).toEqual([5]);
    expect((await at(8)).entries.map((e) => e.step)).toEqual([5]);
    expect(await at(0)).toMatchObject({ entries: [], hasEarlier: false });
    expect((await owner.runMedia.fileEntries({ runId: runA, path: "images/samples", afterStep: 1, toStep: 9 })).entries.map((e) => e.step)).toEqual([5, 9]);
    expect(await codeOf(owner.runMedia.fileEntries({ runId: runA, path: "data.csv" }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.runMedia.fileEntries({ runId: runA, path: "nope" }))).toBe("NOT_FOUND");
  });

  test("fileHead returns text heads, cuts at a whole character and recognises binary files", async () => {
    expect(await owner.runMedia.fileHead({ runId: runA, path: "notes/readme.txt" })).toEqual({ contentType: "text/plain", size: 12, text: "hello\nworld\n", truncated: false });
    const head = await owner.runMedia.fileHead({ runId: runA, path: "big.txt" });
    expect(head.truncated).toBe(true);
    expect(head.size).toBe(Buffer.byteLength(big));
    expect(head.text).toBe("x".repeat(64 * 1024 - 1)); // the half "é" is dropped, not shown as U+FFFD
    expect((await owner.runMedia.fileHead({ runId: runA, path: "big.txt", maxBytes: 10 })).text).toBe("xxxxxxxxxx");
    expect((await owner.runMedia.fileHead({ runId: runA, path: "weights.bin" })).text).toBeNull();
    expect((await owner.runMedia.fileHead({ runId: runA, path: "images/samples", step: 5 })).text).toBe("img5");
    expect((await owner.runMedia.fileHead({ runId: runA, path: "images/samples" })).text).toBe("img9");
    expect(await codeOf(owner.runMedia.fileHead({ runId: runA, path: "images/samples", step: 4 }))).toBe("NOT_FOUND");
  });

  test("lines reads the tail, earlier pages by step and lines after a step", async () => {
    const tail = await owner.runMedia.lines({ runId: runA, path: "stdout" });
    expect(tail.lines).toHaveLength(500);
    expect(tail.lines[0]).toMatchObject({ step: (LINES - 500) * 2, value: lineText(LINES - 500) });
    expect(tail.lines.at(-1)).toMatchObject({ step: (LINES - 1) * 2, value: lineText(LINES - 1) });
    expect(tail).toMatchObject({ hasEarlier: true, hasLater: false });
    // Walk back to the beginning, one page at a time.
    const seen = [...tail.lines];
    let page = tail;
    while (page.hasEarlier) {
      page = await owner.runMedia.lines({ runId: runA, path: "stdout", beforeStep: seen[0].step, limit: 300 });
      expect(page.hasLater).toBe(true);
      seen.unshift(...page.lines);
    }
    expect(seen.map((l) => l.step)).toEqual(Array.from({ length: LINES }, (_, i) => i * 2));
    const after = await owner.runMedia.lines({ runId: runA, path: "stdout", afterStep: 10, limit: 3 });
    expect(after).toEqual({ lines: [expect.objectContaining({ step: 12 }), expect.objectContaining({ step: 14 }), expect.objectContaining({ step: 16 })], hasEarlier: true, hasLater: true });
    const end = await owner.runMedia.lines({ runId: runA, path: "stdout", afterStep: (LINES - 2) * 2 });
    expect(end).toMatchObject({ lines: [expect.objectContaining({ step: (LINES - 1) * 2 })], hasLater: false });
    expect(await codeOf(owner.runMedia.lines({ runId: runA, path: "loss" }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.runMedia.lines({ runId: runA, path: "stdout", limit: 0 }))).toBe("BAD_REQUEST");
  });

  test("searchLines finds substrings over the whole series, newest first, in pages", async () => {
    const expected = Array.from({ length: LINES }, (_, i) => i).filter((i) => lineText(i).includes("ERROR")).reverse();
    const first = await owner.runMedia.searchLines({ runId: runA, path: "stdout", query: "error", limit: 5 });
    expect(first.matches.map((m) => m.step)).toEqual(expected.slice(0, 5).map((i) => i * 2));
    expect(first.nextBeforeStep).toBe(expected[4] * 2);
    const rest = await owner.runMedia.searchLines({ runId: runA, path: "stdout", query: "error", beforeStep: first.nextBeforeStep!, limit: 100 });
    expect(rest.matches.map((m) => m.step)).toEqual(expected.slice(5).map((i) => i * 2));
    expect(rest.nextBeforeStep).toBeNull();
    // Case-sensitive, and LIKE's wildcards are plain characters.
    expect((await owner.runMedia.searchLines({ runId: runA, path: "stdout", query: "error", caseSensitive: true })).matches).toEqual([]);
    expect((await owner.runMedia.searchLines({ runId: runA, path: "stdout", query: "100% full_" })).matches).toHaveLength(expected.length);
    expect((await owner.runMedia.searchLines({ runId: runA, path: "stdout", query: "1_0%" })).matches).toEqual([]);
    expect(await codeOf(owner.runMedia.searchLines({ runId: runA, path: "stdout", query: "" }))).toBe("BAD_REQUEST");
  });

  test("a share link reads its own run and gets 404 for every other run", async () => {
    expect((await linkA.runMedia.files({ runId: runA })).files).toHaveLength(5);
    expect((await linkA.runMedia.fileEntries({ runId: runA, path: "images/samples" })).entries).toHaveLength(3);
    expect((await linkA.runMedia.fileHead({ runId: runA, path: "data.csv" })).text).toBe('a,b\n1,"x, y"\n');
    expect((await linkA.runMedia.lines({ runId: runA, path: "stdout", limit: 1 })).lines).toHaveLength(1);
    expect((await linkA.runMedia.searchLines({ runId: runA, path: "stdout", query: "ERROR", limit: 1 })).matches).toHaveLength(1);
    expect((await linkB.runMedia.fileEntries({ runId: runB, path: "images/samples" })).entries).toEqual([expect.objectContaining({ step: 5, name: "b5" })]);

    const refused = [
      linkB.runMedia.files({ runId: runA }),
      linkB.runMedia.fileEntries({ runId: runA, path: "images/samples" }),
      linkB.runMedia.fileHead({ runId: runA, path: "data.csv" }),
      linkB.runMedia.lines({ runId: runA, path: "stdout" }),
      linkB.runMedia.searchLines({ runId: runA, path: "stdout", query: "x" }),
      linkA.runMedia.files({ runId: runB }),
      linkA.runMedia.fileEntries({ runId: runB, path: "images/samples" }),
    ];
    expect(await Promise.all(refused.map(codeOf))).toEqual(refused.map(() => "NOT_FOUND"));
  });
});
