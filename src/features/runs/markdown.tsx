import type { ReactNode } from "react";

/*
 * A small Markdown renderer for run notes: headings, paragraphs, lists, block quotes, fenced
 * and inline code, links, emphasis and rules. It builds React elements, never HTML strings,
 * so text from a run can hold "<script>" and stay text; links only keep safe schemes.
 */

type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "code"; lang: string; text: string }
  | { kind: "list"; ordered: boolean; start: number; items: string[] }
  | { kind: "quote"; text: string }
  | { kind: "rule" };

const FENCE = /^\s{0,3}(```|~~~)\s*([\w+-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") { i++; continue; }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i].trim().startsWith(fence[1]) && lines[i].trim().replace(/[`~]/g, "") === "")) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      blocks.push({ kind: "code", lang: fence[2], text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: heading[1].length as 1 | 2 | 3 | 4 | 5 | 6, text: heading[2] });
      i++;
      continue;
    }
    if (RULE.test(line)) { blocks.push({ kind: "rule" }); i++; continue; }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(QUOTE.exec(lines[i++])![1]);
      blocks.push({ kind: "quote", text: body.join("\n") });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = !bullet;
      const marker = ordered ? NUMBERED : BULLET;
      const items: string[] = [];
      while (i < lines.length) {
        const m = marker.exec(lines[i]);
        if (m) { items.push(ordered ? m[2] : m[1]); i++; continue; }
        // An indented line continues the item above it.
        if (items.length > 0 && /^\s{2,}\S/.test(lines[i])) { items[items.length - 1] += " " + lines[i].trim(); i++; continue; }
        break;
      }
      blocks.push({ kind: "list", ordered, start: ordered ? Number(numbered![1]) : 1, items });
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && lines[i].trim() !== "" && !FENCE.test(lines[i]) && !HEADING.test(lines[i]) && !BULLET.test(lines[i])
      && !NUMBERED.test(lines[i]) && !QUOTE.test(lines[i]) && !RULE.test(lines[i])) body.push(lines[i++].trim());
    blocks.push({ kind: "paragraph", text: body.join("\n") });
  }
  return blocks;
}

/** Only links a reader can follow without running anything: http(s), mailto, and same-site paths. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h)) return h;
  if (/^(\/(?![/\\])|#|\.{1,2}\/)/.test(h)) return h; // not //host or /\host
  return null;
}

// Earliest match wins; among equal starts, the order here decides (code before emphasis).
const INLINE = [
  { kind: "code", re: /`([^`\n]+)`/ },
  { kind: "link", re: /\[([^\]\n]+)\]\(([^)\s]+)\)/ },
  { kind: "auto", re: /https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/ },
  { kind: "strong", re: /\*\*(?=\S)([^*]+?)\*\*|__(?=\S)([^_]+?)__/ },
  { kind: "em", re: /\*(?=\S)([^*\n]+?)\*|\b_(?=\S)([^_\n]+?)_\b/ },
  { kind: "break", re: /\n/ },
] as const;

export function renderInline(text: string, keyPrefix = "i"): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    let best: { kind: (typeof INLINE)[number]["kind"]; m: RegExpExecArray } | null = null;
    for (const { kind, re } of INLINE) {
      const m = re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { kind, m };
    }
    if (!best) { out.push(rest); break; }
    const { kind, m } = best;
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const key = `${keyPrefix}-${n++}`;
    switch (kind) {
      case "code": out.push(<code key={key}>{m[1]}</code>); break;
      case "link": {
        const href = safeHref(m[2]);
        out.push(href ? <a key={key} href={href} rel="noopener noreferrer nofollow" target={href.startsWith("#") ? undefined : "_blank"}>{renderInline(m[1], key)}</a> : m[0]);
        break;
      }
      case "auto": out.push(<a key={key} href={m[0]} rel="noopener noreferrer nofollow" target="_blank">{m[0]}</a>); break;
      case "strong": out.push(<strong key={key}>{renderInline(m[1] ?? m[2], key)}</strong>); break;
      case "em": out.push(<em key={key}>{renderInline(m[1] ?? m[2], key)}</em>); break;
      case "break": out.push(<br key={key} />); break;
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/** Renders Markdown text as React elements (safe for any input). */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const blocks = parseBlocks(source);
  return (
    <div className={className ?? "markdown"}>
      {blocks.map((b, i) => {
        const key = `b${i}`;
        switch (b.kind) {
          case "heading": {
            const H = `h${Math.min(6, b.level + 2)}` as "h3"; // page and section titles own h1/h2
            return <H key={key}>{renderInline(b.text, key)}</H>;
          }
          case "paragraph": return <p key={key}>{renderInline(b.text, key)}</p>;
          case "code": return <pre key={key} className="code" data-lang={b.lang || undefined}><code>{b.text}</code></pre>;
          case "quote": return <blockquote key={key}><Markdown source={b.text} className="markdown-quote" /></blockquote>;
          case "rule": return <hr key={key} />;
          case "list": {
            const items = b.items.map((item, j) => <li key={j}>{renderInline(item, `${key}-${j}`)}</li>);
            return b.ordered ? <ol key={key} start={b.start}>{items}</ol> : <ul key={key}>{items}</ul>;
          }
        }
      })}
    </div>
  );
}
