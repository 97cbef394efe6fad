import { sql } from "drizzle-orm";
import type { Database, Db } from "@/server/db/client";
import { forbidden } from "@/server/errors";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "@/server/authz/actor";
import type { Ctx, Services } from "../context";
import { isInstanceAdmin } from "./me";

/** Whether anyone may create an account without an invite (instance admins decide). */
export async function openSignUp(database: Database, tx?: Db): Promise<boolean> {
  const [row] = await database.rows<{ value: unknown }>(sql`SELECT value FROM instance_settings WHERE key = 'signup.open'`, tx);
  return row?.value === true;
}

/** True until the first admin has been created: then the first visit offers creating it. */
export async function needsSetup(database: Database): Promise<boolean> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM instance_settings WHERE key = 'setup.done'`);
  return row.n === 0;
}

export async function setOpenSignUp(ctx: Ctx, input: { open: boolean }): Promise<{ open: boolean }> {
  if (!(await isInstanceAdmin(ctx))) throw forbidden("only instance admins change sign-up");
  await ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const before = await openSignUp(ctx.database, tx);
    await ctx.database.rows(sql`
      INSERT INTO instance_settings (key, value) VALUES ('signup.open', ${JSON.stringify(input.open)}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, tx);
    await recordAudit(ctx.database, tx, ctx.actor, {
      action: "instance.signup", targetKind: "instance", targetId: "signup.open", before: { open: before }, after: { open: input.open },
    });
  });
  return { open: input.open };
}

export type InstanceStatus = { needsSetup: boolean; openSignUp: boolean; sso: { name: string } | null; signedIn: boolean };

/** What the sign-in pages need to know before anyone is signed in. */
export async function instanceStatus(services: Services, actor: Actor | null): Promise<InstanceStatus> {
  return {
    needsSetup: await needsSetup(services.database),
    openSignUp: await openSignUp(services.database),
    sso: services.auth.oidc ? { name: services.auth.oidc.name } : null,
    signedIn: actor?.kind === "user",
  };
}
