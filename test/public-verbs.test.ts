import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";
import { CLIENT_IP_HEADER } from "@/server/auth/auth-options";
import { AddressLimiter } from "@/server/auth/address-limiter";
import { hashPassword, passwordGate } from "@/server/auth/passwords";
import { resolveSetupToken } from "@/server/auth/setup-token";
import { WorkGate } from "@/server/auth/work-gate";
import { loadEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { setOpenSignUp } from "@/server/services/accounts/instance-settings";
import { setupFirstAdmin } from "@/server/services/accounts/setup-first-admin";
import { signUp } from "@/server/services/accounts/sign-up";
import { acceptInvite } from "@/server/services/invites/accept-invite";
import { createInvite } from "@/server/services/invites/create-invite";
import { startApiServer, type ApiServer } from "./helpers/api-server";
import { databaseKinds } from "./helpers/databases";

const TOKEN = "a-set-up-token-for-this-test";
const admin = { name: "Ada", email: "ada@example.com", password: "long enough", workspaceName: "Home" };

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? e.code : (e as { code?: string }).code ?? String(e)));

/** How many password hashes (scrypt runs) `fn` caused. */
async function hashesDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = passwordGate.completed;
  await fn();
  return passwordGate.completed - before;
}

describe.each(databaseKinds())("public verbs on $name", (kind) => {
  let api: ApiServer;
  const services = () => api.server.services;
  beforeAll(async () => {
    api = await startApiServer(kind, { CAIRN_SETUP_TOKEN: TOKEN });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });
  const users = async () => (await api.db.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0].n;

  test("set-up without the token or with a wrong one is refused and creates nothing", async () => {
    const before = await users();
    expect(await codeOf(setupFirstAdmin(services(), admin))).toBe("unauthorized");
    expect(await codeOf(setupFirstAdmin(services(), { ...admin, setupToken: "not-the-token-at-all" }))).toBe("forbidden");
    expect(await codeOf(setupFirstAdmin(services(), { ...admin, setupToken: `${TOKEN}x` }))).toBe("forbidden");
    expect(await users()).toBe(before);
    const [done] = await api.db.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM instance_settings WHERE key = 'setup.done'`);
    expect(done.n).toBe(0);
  });

  test("refusing set-up for a missing or wrong token hashes no password", async () => {
    expect(await hashesDuring(() => Promise.all(Array.from({ length: 20 }, (_, i) =>
      codeOf(setupFirstAdmin(services(), { ...admin, setupToken: i % 2 ? "wrong-token-wrong-token" : undefined })))))).toBe(0);
  });

  test("set-up with the right token creates the admin and the workspace", async () => {
    const done = await setupFirstAdmin(services(), { ...admin, setupToken: TOKEN });
    expect(done.workspace.name).toBe("Home");
    const [row] = await api.db.database.rows<{ is_instance_admin: boolean }>(sql`SELECT is_instance_admin FROM users WHERE id = ${done.userId}`);
    expect(row.is_instance_admin).toBe(true);
  });

  test("set-up after set-up is done is refused before any password is hashed, with or without the token", async () => {
    const hashes = await hashesDuring(async () => {
      const codes = await Promise.all(Array.from({ length: 50 }, (_, i) => codeOf(setupFirstAdmin(services(), { ...admin, setupToken: i % 2 ? TOKEN : undefined }))));
      expect(new Set(codes)).toEqual(new Set(["conflict"]));
    });
    expect(hashes).toBe(0);
  });

  test("sign-up while closed, or for a taken address, is refused before any password is hashed", async () => {
    expect(await hashesDuring(async () => {
      expect(await codeOf(signUp(api.db.database, { name: "Eve", email: "eve@example.com", password: "long enough" }))).toBe("forbidden");
    })).toBe(0);
    const [adminRow] = await api.db.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'ada@example.com'`);
    await setOpenSignUp({ ...services(), actor: { kind: "user", userId: adminRow.id } }, { open: true });
    expect(await hashesDuring(async () => {
      expect(await codeOf(signUp(api.db.database, { name: "Ada", email: "ada@example.com", password: "long enough" }))).toBe("conflict");
    })).toBe(0);
    expect(await hashesDuring(() => signUp(api.db.database, { name: "Eve", email: "eve@example.com", password: "long enough" }))).toBe(1);
  });

  test("accepting an unknown, used or someone else's invite with a new account is refused before any password is hashed", async () => {
    const [adminRow] = await api.db.database.rows<{ id: string; workspace_id: string }>(sql`
      SELECT u.id, wm.workspace_id FROM users u JOIN workspace_members wm ON wm.user_id = u.id WHERE u.email = 'ada@example.com'`);
    const ctx = { ...services(), actor: { kind: "user" as const, userId: adminRow.id } };
    const forBo = await createInvite(ctx, { workspaceId: adminRow.workspace_id, email: "bo@example.com" });
    const open = await createInvite(ctx, { workspaceId: adminRow.workspace_id });
    const anon = { ...services(), actor: null };
    const account = (email: string) => ({ name: "N", email, password: "long enough" });
    expect(await hashesDuring(async () => {
      expect(await codeOf(acceptInvite(anon, { token: "x".repeat(43), account: account("n1@example.com") }))).toBe("not_found");
      expect(await codeOf(acceptInvite(anon, { token: forBo.token, account: account("n2@example.com") }))).toBe("forbidden");
      expect(await codeOf(acceptInvite(anon, { token: open.token, account: account("ada@example.com") }))).toBe("conflict");
    })).toBe(0);
    expect(await hashesDuring(() => acceptInvite(anon, { token: open.token, account: account("n3@example.com") }))).toBe(1);
    expect(await hashesDuring(async () => {
      expect(await codeOf(acceptInvite(anon, { token: open.token, account: account("n4@example.com") }))).toBe("conflict");
    })).toBe(0);
  });

  test("public procedures are rate-limited per client address: a flood from one address gets 429, another address is served", async () => {
    const call = async (ip: string) => {
      const ctx = await createContext(new Request(`${api.url}/api/trpc/account.signUp`, { headers: { [CLIENT_IP_HEADER]: ip } }));
      return codeOf(createCaller(ctx).account.signUp({ name: "F", email: "ada@example.com", password: "long enough" }));
    };
    // The limiter is per process: each database kind's run uses addresses of its own.
    const [flooder, other] = kind.name === "pglite" ? ["203.0.113.7", "203.0.113.8"] : ["203.0.113.17", "203.0.113.18"];
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push(await call(flooder));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("CONFLICT"));
    expect(codes.slice(10)).toEqual(Array(20).fill("TOO_MANY_REQUESTS"));
    // Set-up and invite accepts share the address's password bucket.
    const ctx = await createContext(new Request(`${api.url}/api/trpc/account.setup`, { headers: { [CLIENT_IP_HEADER]: flooder } }));
    expect(await codeOf(createCaller(ctx).account.setup({ ...admin, setupToken: TOKEN }))).toBe("TOO_MANY_REQUESTS");
    expect(await call(other)).toBe("CONFLICT");
  });
});

describe("bounded password hashing", () => {
  test("password hashing runs at most two scrypt computations at a time; the rest queue", async () => {
    const peakBefore = passwordGate.peak;
    const seen: number[] = [];
    const watcher = setInterval(() => seen.push(passwordGate.queued), 5);
    await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`password ${i}`)));
    clearInterval(watcher);
    expect(passwordGate.limit).toBe(2);
    expect(Math.max(peakBefore, passwordGate.peak)).toBeLessThanOrEqual(2);
    expect(Math.max(...seen)).toBeGreaterThan(0);
  });

  test("a work gate never runs more than its limit and runs everything in order", async () => {
    const gate = new WorkGate(3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => gate.run(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      order.push(i);
      running--;
    })));
    expect(most).toBe(3);
    expect(gate.completed).toBe(20);
    expect(order).toHaveLength(20);
  });

  test("the address limiter allows a burst, then one call per interval, per address and bucket", () => {
    let now = 0;
    const limiter = new AddressLimiter({ x: { burst: 3, intervalMs: 1_000 }, y: { burst: 1, intervalMs: 1_000 } }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take("x", "a"))).toEqual([0, 0, 0, 1_000]);
    expect(limiter.take("x", "b")).toBe(0);
    expect(limiter.take("y", "a")).toBe(0);
    now += 1_000;
    expect(limiter.take("x", "a")).toBe(0);
    expect(limiter.take("x", "a")).toBe(1_000);
  });
});

describe("set-up token configuration", () => {
  test("unset: a token derived from the session secret; given: that token; \"none\": no token", () => {
    const generated = loadEnv({}).setupToken;
    expect(generated).toEqual({ kind: "generated" });
    const a = resolveSetupToken(generated, "secret-one-secret-one");
    expect(a).toMatch(/^[\w-]{32}$/);
    expect(resolveSetupToken(generated, "secret-one-secret-one")).toBe(a);
    expect(resolveSetupToken(generated, "secret-two-secret-two")).not.toBe(a);
    expect(resolveSetupToken(loadEnv({ CAIRN_SETUP_TOKEN: TOKEN }).setupToken, "s")).toBe(TOKEN);
    expect(resolveSetupToken(loadEnv({ CAIRN_SETUP_TOKEN: "none" }).setupToken, "s")).toBeNull();
    expect(() => loadEnv({ CAIRN_SETUP_TOKEN: "short" })).toThrow(/CAIRN_SETUP_TOKEN: must be at least 16 characters/);
  });
});
