import { sql } from "drizzle-orm";
import { createCaller } from "@/server/api/root";
import type { Actor } from "@/server/authz/actor";
import type { Services } from "@/server/services/context";

/** People and tRPC callers for the workspace, project, invite and audit tests. */
export function accessKit(services: Services) {
  const { database } = services;
  return {
    /** A person with no workspace yet. */
    async person(email: string): Promise<string> {
      const [u] = await database.rows<{ id: string }>(sql`INSERT INTO users (email, name) VALUES (${email}, ${email.split("@")[0]}) RETURNING id`);
      return u.id;
    },
    as: (userId: string) => createCaller({ services, actor: { kind: "user", userId } }),
    asActor: (actor: Actor | null) => createCaller({ services, actor }),
    /** Brings `userId` into the workspace the way people join: an invite from `inviterId`, accepted. */
    async join(inviterId: string, workspaceId: string, userId: string, role: "member" | "admin" = "member"): Promise<void> {
      const invite = await createCaller({ services, actor: { kind: "user", userId: inviterId } }).invites.create({ workspaceId, role });
      await createCaller({ services, actor: { kind: "user", userId } }).invites.accept({ token: invite.token });
    },
    async auditRows(where: ReturnType<typeof sql>) {
      return database.rows<{ action: string; workspace_id: string | null; project_id: string | null; target_id: string; before: unknown; after: unknown }>(sql`
        SELECT action, workspace_id, project_id, target_id, before, after FROM audit_events WHERE ${where} ORDER BY created_at, seq`);
    },
  };
}

// One implementation for every access test.
export { jsonOf as parsedJson, rejectsWith as expectCode } from "./people";
