"use client";

import { useEffect, useState } from "react";
import { formatAgo, formatUtc } from "./format";

/**
 * A moment as "5 min ago" (or "in 3 days" for the future), exact UTC on hover. The relative
 * text is computed after mount so server and browser render the same markup.
 */
export function When({ iso, empty = "—" }: { iso: string | null | undefined; empty?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => setNow(Date.now()), []);
  if (!iso) return <span className="muted">{empty}</span>;
  const t = Date.parse(iso);
  let text = formatUtc(iso);
  if (now !== null) text = t > now ? formatIn(t - now, iso) : formatAgo(iso, now);
  return <time dateTime={iso} title={formatUtc(iso)}>{text}</time>;
}

function formatIn(ms: number, iso: string): string {
  const hours = Math.round(ms / 3_600_000);
  if (hours < 1) return "within the hour";
  if (hours < 48) return `in ${hours} h`;
  const days = Math.round(hours / 24);
  return days <= 60 ? `in ${days} days` : iso.slice(0, 10);
}
