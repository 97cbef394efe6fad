"use client";

import { ConfirmButton } from "./confirm-button";

/** The last cell of a key's or link's row: revoked, expired, or a Revoke button for those allowed. */
export function RevocableStatus({ revokedAt, expiresAt, canRevoke = true, question, pending, onRevoke }: {
  revokedAt: string | null; expiresAt: string | null; canRevoke?: boolean; question: string; pending: boolean; onRevoke: () => void;
}) {
  if (revokedAt) return <span className="pill pill-warn">revoked</span>;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) return <span className="pill">expired</span>;
  return canRevoke ? <ConfirmButton label="Revoke" question={question} disabled={pending} onConfirm={onRevoke} /> : null;
}
