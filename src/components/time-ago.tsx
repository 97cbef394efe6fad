import { formatAgo, formatUtc } from "./format";

/** A past moment as "5 min ago", with the exact UTC time on hover. */
export function TimeAgo({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso} title={formatUtc(iso)}>{formatAgo(iso, now)}</time>;
}
