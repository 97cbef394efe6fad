/** The /api/v1 URL of a run's file (or of one file-series entry); share pages add their token. */
export function fileUrl(runId: string, path: string, opts: { step?: number | null; shareToken?: string; download?: boolean } = {}): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const params = new URLSearchParams();
  if (opts.step !== undefined && opts.step !== null) params.set("step", String(opts.step));
  if (opts.shareToken) params.set("share", opts.shareToken);
  const query = params.toString();
  return `/api/v1/runs/${encodeURIComponent(runId)}/files/${encoded}${query ? `?${query}` : ""}`;
}
