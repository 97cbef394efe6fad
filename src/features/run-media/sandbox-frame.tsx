"use client";

import { useEffect, useRef, useState } from "react";

const MAX_HEIGHT = 4000;

type Content = { kind: "echarts" | "plotly"; json: unknown } | { kind: "html"; html: string };

/** What the frame may say back: its content's height, or why it could not draw. */
function frameMessage(data: unknown): { type: "ready" } | { type: "size"; height: number } | { type: "error"; message: string } | null {
  if (typeof data !== "object" || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.type === "ready") return { type: "ready" };
  if (m.type === "size" && typeof m.height === "number" && Number.isFinite(m.height) && m.height >= 0) return { type: "size", height: Math.min(m.height, MAX_HEIGHT) };
  if (m.type === "error" && typeof m.message === "string") return { type: "error", message: m.message.slice(0, 500) };
  return null;
}

const prefersDark = () => typeof window !== "undefined" && window.matchMedia?.("(prefers-color-scheme: dark)").matches;

/**
 * User content (an ECharts option, a Plotly figure, an HTML file) rendered in Cairn's sandbox
 * frame: a document with an opaque origin and a CSP that lets nothing load or leave, so
 * script hidden in a formatter, a title or a link runs nowhere near Cairn's session. The
 * content goes in by postMessage; only well-formed size and error messages from that very
 * frame come back.
 */
export function SandboxFrame({ content, title, className, chart }: { content: Content; title: string; className: string; chart?: "echarts" | "plotly" }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const src = content.kind === "html" ? "/sandbox/html" : "/sandbox/chart";

  const ready = useRef(false);
  const latest = useRef(content);
  latest.current = content;
  const post = () => frame.current?.contentWindow?.postMessage({ ...latest.current, type: "render", theme: prefersDark() ? "dark" : "light" }, "*");

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (!frame.current || event.source !== frame.current.contentWindow) return;
      const message = frameMessage(event.data);
      if (message?.type === "ready") {
        ready.current = true;
        post();
      } else if (message?.type === "size") setHeight(message.height);
      else if (message?.type === "error") setError(message.message);
    };
    window.addEventListener("message", onMessage);
    // The frame may have loaded (and said "ready") before this page hydrated; a frame still
    // loading ignores this and says "ready" later.
    post();
    return () => window.removeEventListener("message", onMessage);
  }, []);
  useEffect(() => {
    setError(null);
    if (ready.current) post();
  }, [content]);

  return (
    <>
      {error && <p className="error-text" role="alert">{error}</p>}
      <iframe
        ref={frame}
        className={className}
        data-chart={chart}
        title={title}
        src={src}
        sandbox="allow-scripts"
        referrerPolicy="no-referrer"
        style={content.kind === "html" || height === null ? undefined : { height }}
      />
    </>
  );
}
