import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { slugify } from "@/contracts/accounts";
import { CreateServiceAccountInput, type ServiceAccountRole } from "@/contracts/service-accounts";
import { userIdOf } from "@/server/authz/actor";
import { authorize } from "@/server/authz/authorize";
import type { Db } from "@/server/db/client";
import { iso } from "@/server/db/values";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../parse-input";
import type { Ctx } from "../context";
import { workspaceOfProject } from "./find-service-account";
import { assertMayGrant } from "./role-cap";

export type CreatedServiceAccount = { id: string; name: string; email: string; role: ServiceAccountRole; projectId: string; createdAt: string };

/** ".invalid" is reserved (RFC 2606): the address can never receive mail nor match a person. */
const serviceEmail = (name: string) =>
  `${slugify(name).slice(0, 40).replace(/-+$/, "") || "service"}-${randomBytes(3).toString("hex")}@service-accounts.invalid`;

/**
 * A non-human identity for one project (a CI job, a training cluster): a users row of kind
 * "service" without a password, so it can never sign in, holding a project role no higher
 * than its creator's. It acts only through the API keys its project's maintainers give it.
 */
export async function createServiceAccount(ctx: Ctx, raw: unknown): Promise<CreatedServiceAccount> {
  const input = parseInput(CreateServiceAccountInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "project.manage", projectId);
  await assertMayGrant(ctx, projectId, input.role);
  const workspaceId = await workspaceOfProject(ctx, projectId);
  const actor = ctx.actor;
  return ctx.database.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const email = serviceEmail(input.name);
    const [user] = await ctx.database.rows<{ id: string; created_at: Date }>(sql`
      INSERT INTO users (email, name, kind, service_project_id, created_by)
      VALUES (${email}, ${input.name}, 'service', ${projectId}, ${userIdOf(actor)})
      RETURNING id, created_at`, tx);
    await ctx.database.rows(sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${user.id}, ${input.role})`, tx);
    await recordAudit(ctx.database, tx, actor, {
      action: "serviceAccount.create", targetKind: "serviceAccount", targetId: user.id, workspaceId, projectId,
      after: { name: input.name, email, role: input.role },
    });
    return { id: user.id, name: input.name, email, role: input.role, projectId, createdAt: iso(user.created_at)! };
  });
}
