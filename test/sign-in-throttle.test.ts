import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { ACCOUNT, ADDRESS, PAIR, pairWaitMs, rateWaitMs, SignInThrottled } from "@/server/services/accounts/sign-in-throttle";
import { signInWithPassword } from "@/server/services/accounts/sign-in";
import { changePassword } from "@/server/services/accounts/profile";
import type { Ctx } from "@/server/services/context";
import { AppError } from "@/server/errors";
import { databaseKinds, type TestDatabase } from "./helpers/databases";

describe("sign-in delays", () => {
  test("a pair's first failures are free, then each wait doubles up to the cap, and a day of quiet forgets them", () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 30].map((n) => pairWaitMs(n, 0, 0));
    expect(waits).toEqual([0, 0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, PAIR.maxDelayMs]);
    expect(pairWaitMs(PAIR.free + 2, 0, 3_000)).toBe(1_000);
    expect(pairWaitMs(30, 0, PAIR.forgetAfterMs)).toBe(0);
  });

  test("a rate bucket lets a burst through, then one attempt per interval", () => {
    let tat = 0;
    const now = 1_000_000;
    for (let i = 0; i < ACCOUNT.burst; i++) {
      expect(rateWaitMs(tat, now, ACCOUNT)).toBe(0);
      tat = Math.max(tat, now) + ACCOUNT.intervalMs;
    }
    expect(rateWaitMs(tat, now, ACCOUNT)).toBe(ACCOUNT.intervalMs);
    expect(rateWaitMs(tat, now + ACCOUNT.intervalMs, ACCOUNT)).toBe(0);
  });
});

describe.each(databaseKinds())("sign-in throttling on $name", (kind) => {
  let db: TestDatabase;
  // The throttle's clock; tests move it instead of sleeping.
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const now = () => clock;
  beforeAll(async () => {
    db = await kind.open();
    for (const who of ["ann", "bob", "cyd", "dee"]) {
      await db.database.rows(sql`INSERT INTO users (email, password_hash) VALUES (${`${who}@example.com`}, ${await hashPassword(`${who}-password`)})`);
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  type Outcome = "ok" | "wrong" | { limitedMs: number };
  const attempt = (email: string, password: string, ip: string): Promise<Outcome> =>
    signInWithPassword(db.database, { email, password, ip }, now).then((u) => (u ? "ok" : "wrong"), (e: unknown) => {
      if (e instanceof SignInThrottled) return { limitedMs: e.retryAfterMs };
      throw e;
    });

  test("an attacker failing many times from one address does not stop the owner signing in from another", async () => {
    for (let i = 0; i < PAIR.free; i++) expect(await attempt("ann@example.com", "nope", "10.0.0.1")).toBe("wrong");
    // From the attacker's address the next attempt, even with the right password, waits a second...
    expect(await attempt("ann@example.com", "ann-password", "10.0.0.1")).toEqual({ limitedMs: PAIR.firstDelayMs });
    // ...then each further failure doubles the wait.
    for (const wait of [1_000, 2_000, 4_000, 8_000]) {
      clock += wait;
      expect(await attempt("ann@example.com", "nope", "10.0.0.1")).toBe("wrong");
      expect(await attempt("ann@example.com", "nope", "10.0.0.1")).toEqual({ limitedMs: wait * 2 });
    }
    // The owner, from their own address, signs in at once.
    expect(await attempt("ann@example.com", "ann-password", "10.9.9.9")).toBe("ok");
  });

  test("a refused attempt is not counted and the wait is what the error says", async () => {
    for (let i = 0; i < PAIR.free; i++) await attempt("bob@example.com", "nope", "10.0.1.1");
    expect(await attempt("bob@example.com", "nope", "10.0.1.1")).toEqual({ limitedMs: 1_000 });
    clock += 400;
    expect(await attempt("bob@example.com", "nope", "10.0.1.1")).toEqual({ limitedMs: 600 });
    clock += 600;
    expect(await attempt("bob@example.com", "bob-password", "10.0.1.1")).toBe("ok");
    // Success starts the pair over: the free failures are free again.
    for (let i = 0; i < PAIR.free; i++) expect(await attempt("bob@example.com", "nope", "10.0.1.1")).toBe("wrong");
  });

  test("failures from many addresses slow the account down but never lock the owner out", async () => {
    clock += 60 * 60_000;
    // Each address stays within its free failures; together they reach the account's ceiling.
    for (let i = 0; i < ACCOUNT.burst; i++) expect(await attempt("cyd@example.com", "nope", `10.2.${i}.1`)).toBe("wrong");
    const refused = await attempt("cyd@example.com", "cyd-password", "10.8.8.8");
    expect(refused).toEqual({ limitedMs: ACCOUNT.intervalMs });
    // A slow-down, not a lock-out: one interval later the owner is in.
    clock += ACCOUNT.intervalMs;
    expect(await attempt("cyd@example.com", "cyd-password", "10.8.8.8")).toBe("ok");
  });

  test("one address spraying many accounts is slowed for all of them", async () => {
    clock += 60 * 60_000;
    for (let i = 0; i < ADDRESS.burst; i++) expect(await attempt(`guess${i}@example.com`, "nope", "10.3.0.1")).toBe("wrong");
    expect(await attempt("dee@example.com", "dee-password", "10.3.0.1")).toEqual({ limitedMs: ADDRESS.intervalMs });
    expect(await attempt("dee@example.com", "dee-password", "10.3.0.2")).toBe("ok");
  });

  test("concurrent guesses are counted before the password is checked, so a burst cannot slip past", async () => {
    clock += 60 * 60_000;
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => attempt("ann@example.com", "nope", "10.4.0.1")));
    expect(outcomes.filter((o) => o === "wrong")).toHaveLength(PAIR.free);
  });

  test("guessing the current password through a session is throttled like sign-in", async () => {
    clock += 60 * 60_000;
    const [dee] = await db.database.rows<{ id: string }>(sql`SELECT id FROM users WHERE email = 'dee@example.com'`);
    // changePassword reads only the database and the actor.
    const ctx = { database: db.database, actor: { kind: "user", userId: dee.id }, clientIp: "10.5.0.1" } as unknown as Ctx;
    const change = (current: string) => changePassword(ctx, { current, next: "a new password" }, now).then(() => "ok", (e: unknown) => {
      if (e instanceof SignInThrottled) return "limited";
      if (e instanceof AppError) return e.code;
      throw e;
    });
    expect(await change("")).toBe("invalid");
    for (let i = 0; i < PAIR.free; i++) expect(await change("a guess")).toBe("invalid");
    expect(await change("dee-password")).toBe("limited");
    clock += PAIR.firstDelayMs;
    expect(await change("dee-password")).toBe("ok");
  });

  test("limits live in the database, shared by every process", async () => {
    const rows = await db.database.rows<{ bucket: string }>(sql`SELECT bucket FROM sign_in_failures WHERE bucket LIKE 'pair:ann@example.com %'`);
    expect(rows.length).toBeGreaterThan(0);
  });

  test("passwords are stored as salted scrypt hashes, never as given", async () => {
    const [row] = await db.database.rows<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE email = 'ann@example.com'`);
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.password_hash).not.toContain("ann-password");
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });
});
