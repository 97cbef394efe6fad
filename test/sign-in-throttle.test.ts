import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { LIMITS } from "@/server/services/accounts/sign-in-throttle";
import { signInWithPassword } from "@/server/services/accounts/sign-in";
import { AppError } from "@/server/errors";
import { databaseKinds, type TestDatabase } from "./helpers/databases";

describe.each(databaseKinds())("sign-in throttling on $name", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await kind.open();
    await db.database.rows(sql`INSERT INTO users (email, password_hash) VALUES ('ann@example.com', ${await hashPassword("ann-password")})`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const attempt = (email: string, password: string, ip: string) =>
    signInWithPassword(db.database, { email, password, ip }).then((u) => (u ? "ok" : "wrong"), (e: unknown) => {
      if (e instanceof AppError && e.code === "rate_limited") return "limited";
      throw e;
    });

  test("an address that keeps failing is refused for every account, while other addresses still sign in", async () => {
    for (let i = 0; i < LIMITS.ip; i++) expect(await attempt(`guess${i % 7}@example.com`, "nope", "10.0.0.9")).toBe("wrong");
    expect(await attempt("ann@example.com", "ann-password", "10.0.0.9")).toBe("limited");
    expect(await attempt("ann@example.com", "ann-password", "10.0.0.10")).toBe("ok");
  });

  test("the window ends: an old window's failures no longer count", async () => {
    for (let i = 0; i < LIMITS.email; i++) await attempt("ann@example.com", "nope", `10.1.0.${i}`);
    expect(await attempt("ann@example.com", "ann-password", "10.2.0.1")).toBe("limited");
    await db.database.rows(sql`UPDATE sign_in_failures SET window_start = now() - interval '16 minutes'`);
    expect(await attempt("ann@example.com", "ann-password", "10.2.0.1")).toBe("ok");
    // A success clears the account's count: one more failure does not lock it again.
    expect(await attempt("ann@example.com", "nope", "10.2.0.1")).toBe("wrong");
    expect(await attempt("ann@example.com", "ann-password", "10.2.0.1")).toBe("ok");
  });

  test("passwords are stored as salted scrypt hashes, never as given", async () => {
    const [row] = await db.database.rows<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE email = 'ann@example.com'`);
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.password_hash).not.toContain("ann-password");
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });
});
