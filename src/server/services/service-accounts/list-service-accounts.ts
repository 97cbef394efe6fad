import { sql } from "drizzle-orm";
import { ListServiceAccountsInput } from "@/contracts/service-accounts";
import { authorize } from "@/server/authz/authorize";
import type { ProjectRole } from "@/server/authz/permissions";
import { iso } from "@/server/db/values";
import { parseInput } from "../parse-input";
import { keyInfos, type ApiKeyInfo, type KeyRow } from "../keys/list-api-keys";
import type { Ctx } from "../context";

export type ServiceAccountInfo = {
  id: string; name: string; email: string; role: ProjectRole | null; createdAt: string;
  createdBy: { id: string; name: string | null; email: string } | null;
  keys: ApiKeyInfo[];
};

/** The project's active service accounts with their keys (newest first), for its maintainers. */
export async function listServiceAccounts(ctx: Ctx, raw: unknown): Promise<ServiceAccountInfo[]> {
  const input = parseInput(ListServiceAccountsInput, raw);
  const projectId = input.projectId.toLowerCase();
  await authorize(ctx.database, ctx.actor, "project.manage", projectId);
  const accounts = await ctx.database.rows<{
    id: string; name: string | null; email: string; role: ProjectRole | null; created_at: Date;
    creator_id: string | null; creator_name: string | null; creator_email: string | null;
  }>(sql`
    SELECT u.id, u.name, u.email, pm.role, u.created_at, c.id AS creator_id, c.name AS creator_name, c.email AS creator_email
    FROM users u
    LEFT JOIN project_members pm ON pm.project_id = u.service_project_id AND pm.user_id = u.id
    LEFT JOIN users c ON c.id = u.created_by
    WHERE u.service_project_id = ${projectId} AND u.kind = 'service' AND u.disabled_at IS NULL
    ORDER BY u.created_at, u.id`);
  if (accounts.length === 0) return [];
  const keyRows = await ctx.database.rows<KeyRow>(sql`
    SELECT k.id, k.user_id, k.name, k.prefix, k.created_at, k.last_used_at, k.expires_at, k.revoked_at, k.project_ids, k.read_only
    FROM api_keys k JOIN users u ON u.id = k.user_id
    WHERE u.service_project_id = ${projectId} AND u.kind = 'service' AND u.disabled_at IS NULL
    ORDER BY k.created_at DESC, k.id`);
  const infos = await keyInfos(ctx, keyRows);
  return accounts.map((a) => ({
    id: a.id, name: a.name ?? "", email: a.email, role: a.role, createdAt: iso(a.created_at)!,
    createdBy: a.creator_id ? { id: a.creator_id, name: a.creator_name, email: a.creator_email! } : null,
    keys: infos.filter((_, i) => keyRows[i].user_id === a.id),
  }));
}
