import { sql } from "drizzle-orm";
import { RenameWorkspaceInput } from "@/contracts/workspaces";
import { authorizeWorkspace } from "@/server/authz/workspace-role";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { inTransaction } from "../in-transaction";
import { parseInput } from "../parse-input";

/** Workspace admins and owners rename it; the slug (and so every URL) stays. */
export async function renameWorkspace(ctx: Ctx, raw: unknown): Promise<{ name: string }> {
  const input = parseInput(RenameWorkspaceInput, raw);
  return inTransaction(ctx.database, async (tx) => {
    await authorizeWorkspace(ctx.database, ctx.actor, "admin", input.workspaceId, tx);
    const [before] = await ctx.database.rows<{ name: string }>(sql`
      SELECT name FROM workspaces WHERE id = ${input.workspaceId} FOR UPDATE`, tx);
    if (before.name !== input.name) {
      await ctx.database.rows(sql`UPDATE workspaces SET name = ${input.name} WHERE id = ${input.workspaceId}`, tx);
      await recordAudit(ctx.database, tx, ctx.actor, {
        action: "workspace.rename", targetKind: "workspace", targetId: input.workspaceId, workspaceId: input.workspaceId,
        before: { name: before.name }, after: { name: input.name },
      });
    }
    return { name: input.name };
  });
}
