import { CreatePersonalKeyInput } from "@/contracts/keys";
import { userIdOf } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import type { Db } from "@/server/db/client";
import { forbidden } from "@/server/errors";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { daysFromNow, insertApiKey, type CreatedKey } from "./create-api-key";

/**
 * A person makes a key for their own scripts. Limiting it to projects needs read access to
 * each (404 otherwise, so a key cannot probe which projects exist); what the key may do there
 * is decided on every request from the owner's role at that moment.
 */
export async function createPersonalKey(ctx: Ctx, raw: unknown): Promise<CreatedKey & { expiresAt: string | null }> {
  const input = parseInput(CreatePersonalKeyInput, raw);
  const userId = userIdOf(ctx.actor);
  if (ctx.actor.kind !== "user" || !userId) throw forbidden("only a signed-in person creates personal API keys");
  const projectIds = input.projectIds ? [...new Set(input.projectIds.map((id) => id.toLowerCase()))] : null;
  for (const projectId of projectIds ?? []) await authorize(ctx.database, ctx.actor, "project.read", projectId);
  const expiresAt = daysFromNow(input.expiresInDays);
  const actor = ctx.actor;
  const key = await ctx.database.db.transaction(async (txAny) => insertApiKey(ctx.database, txAny as unknown as Db, actor, {
    userId, name: input.name, projectIds, readOnly: input.readOnly, expiresAt,
  }));
  return { ...key, expiresAt: expiresAt?.toISOString() ?? null };
}
