import { ListAuditInput } from "@/contracts/audit";
import { listAuditEvents } from "@/server/services/audit/list-audit-events";
import { typedInput } from "../typed-input";
import { router, userProcedure } from "../trpc";

/** The audit log of a workspace (its owners and admins) or of a project (its owners). */
export const auditRouter = router({
  list: userProcedure.input(typedInput(ListAuditInput)).query(({ ctx, input }) => listAuditEvents(ctx, input)),
});
