"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { AtomValue } from "@/contracts/runs";
import type { RunFile } from "@/contracts/run-media";
import { formatValue } from "@/components/format";
import { useTRPC } from "@/trpc/client";
import { FilePreview } from "./file-preview";

const DIFF_BYTES = 1024 * 1024;
const GIT_KEYS = ["commit", "branch", "remote", "dirty", "message", "author", "tag"];

/**
 * The run's source_code/ namespace: git facts (atoms source_code/git/commit, branch, remote,
 * dirty, … or a JSON file source_code/git), the diff (a file or string at source_code/diff or
 * source_code/git/diff), and other logged sources (source_code/files/*, any other file).
 */
export function SourceCode({ runId, fields, files, shareToken }: { runId: string; fields: Record<string, AtomValue>; files: RunFile[]; shareToken?: string }) {
  const trpc = useTRPC();
  const gitFile = files.find((f) => f.path === "source_code/git" && f.type === "file");
  const gitJson = useQuery({ ...trpc.runMedia.fileHead.queryOptions({ runId, path: "source_code/git" }), enabled: !!gitFile });
  const git = useMemo(() => {
    const facts: Record<string, AtomValue> = {};
    if (gitJson.data?.text) {
      try {
        const parsed = JSON.parse(gitJson.data.text) as Record<string, unknown>;
        for (const [k, v] of Object.entries(parsed)) if (v === null || ["string", "number", "boolean"].includes(typeof v)) facts[k] = v as AtomValue;
      } catch { /* not JSON: the file browser still shows it */ }
    }
    for (const [path, value] of Object.entries(fields)) {
      if (path.startsWith("source_code/git/") && path !== "source_code/git/diff") facts[path.slice("source_code/git/".length)] = value;
    }
    return facts;
  }, [fields, gitJson.data]);
  const otherAtoms = Object.entries(fields).filter(([p]) => p.startsWith("source_code/") && !p.startsWith("source_code/git/") && p !== "source_code/diff");
  const diffFile = files.find((f) => (f.path === "source_code/diff" || f.path === "source_code/git/diff") && f.type === "file");
  const diffAtom = fields["source_code/diff"] ?? fields["source_code/git/diff"];
  const sources = files.filter((f) => f.path.startsWith("source_code/") && f !== diffFile && f !== gitFile);
  const [open, setOpen] = useState<string | null>(null);
  const gitKeys = [...GIT_KEYS.filter((k) => k in git), ...Object.keys(git).filter((k) => !GIT_KEYS.includes(k)).sort()];

  return (
    <div className="source-code">
      {gitKeys.length > 0 && (
        <dl className="facts git-facts">
          {gitKeys.map((k) => (
            <div className="fact" key={k}>
              <dt>{k === "dirty" ? "Working tree" : k[0].toUpperCase() + k.slice(1)}</dt>
              <dd className={k === "message" ? undefined : "mono"}><GitValue name={k} value={git[k]} /></dd>
            </div>
          ))}
        </dl>
      )}
      {otherAtoms.length > 0 && (
        <table className="table fields">
          <tbody>{otherAtoms.map(([p, v]) => <tr key={p}><td className="mono">{p}</td><td>{formatValue(v)}</td></tr>)}</tbody>
        </table>
      )}
      {diffFile ? <DiffFile runId={runId} path={diffFile.path} /> : typeof diffAtom === "string" && diffAtom && <DiffView text={diffAtom} />}
      {sources.length > 0 && (
        <>
          <h3>Source files</h3>
          <ul className="source-files">
            {sources.map((f) => (
              <li key={f.path}>
                <button className="link-button mono" onClick={() => setOpen(open === f.path ? null : f.path)} aria-pressed={open === f.path}>{f.path}</button>
              </li>
            ))}
          </ul>
          {open && sources.some((f) => f.path === open) && <FilePreview key={open} runId={runId} file={sources.find((f) => f.path === open)!} shareToken={shareToken} />}
        </>
      )}
    </div>
  );
}

function GitValue({ name, value }: { name: string; value: AtomValue }) {
  if (name === "dirty") return <>{value === true || value === "true" ? <span className="pill pill-warn">uncommitted changes</span> : "clean"}</>;
  if (name === "commit" && typeof value === "string") return <span title={value}>{value.slice(0, 12)}</span>;
  if (name === "remote" && typeof value === "string" && /^https?:\/\//.test(value)) return <a href={value} rel="noreferrer noopener" target="_blank">{value}</a>;
  return <>{formatValue(value)}</>;
}

function DiffFile({ runId, path }: { runId: string; path: string }) {
  const trpc = useTRPC();
  const head = useQuery(trpc.runMedia.fileHead.queryOptions({ runId, path, maxBytes: DIFF_BYTES }));
  if (head.error) return <p className="error-text" role="alert">{head.error.message}</p>;
  if (!head.data) return <p className="muted">Loading diff…</p>;
  if (head.data.text === null) return <p className="muted">The diff is a binary file.</p>;
  return <DiffView text={head.data.text} truncated={head.data.truncated} />;
}

/** A unified diff with added, removed, hunk and file header lines coloured. */
export function DiffView({ text, truncated = false }: { text: string; truncated?: boolean }) {
  const lines = useMemo(() => text.replace(/\n$/, "").split("\n"), [text]);
  const gitHeaders = lines.filter((l) => l.startsWith("diff --git ")).length;
  const files = gitHeaders || lines.filter((l) => l.startsWith("+++ ")).length;
  const added = lines.filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
  const removed = lines.filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
  return (
    <div className="diff">
      <p className="muted">Diff: <span className="diff-add">+{added}</span> <span className="diff-del">−{removed}</span>{files > 0 ? ` in ${files} file${files === 1 ? "" : "s"}` : ""}{truncated ? " (the first 1 MiB)" : ""}</p>
      <pre className="diff-text">
        {lines.map((l, i) => <span key={i} className={diffClass(l)}>{l}{"\n"}</span>)}
      </pre>
    </div>
  );
}

function diffClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) return "diff-line diff-file";
  if (line.startsWith("@@")) return "diff-line diff-hunk";
  if (line.startsWith("+")) return "diff-line diff-add";
  if (line.startsWith("-")) return "diff-line diff-del";
  return "diff-line";
}
