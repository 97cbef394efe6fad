import type { ReactNode } from "react";

/** Text with every occurrence of `query` wrapped in <mark> (case-insensitive unless told). */
export function Highlight({ text, query, caseSensitive = false }: { text: string; query: string; caseSensitive?: boolean }) {
  if (!query) return <>{text}</>;
  const hay = caseSensitive ? text : text.toLowerCase();
  const needle = caseSensitive ? query : query.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return <>{parts}</>;
}

export function matches(text: string, query: string, caseSensitive = false): boolean {
  return caseSensitive ? text.includes(query) : text.toLowerCase().includes(query.toLowerCase());
}
