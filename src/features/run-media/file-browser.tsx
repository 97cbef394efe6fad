"use client";

import { useMemo, useState } from "react";
import type { RunFile } from "@/contracts/run-media";
import { formatBytes } from "@/components/format";
import { buildTree, treeSize, type TreeNode } from "./file-tree";
import { fileUrl } from "./file-url";
import { FilePreview } from "./file-preview";

/** All files and file series of a run as a folder tree, with a preview of the selected one. */
export function FileBrowser({ runId, files, shareToken }: { runId: string; files: RunFile[]; shareToken?: string }) {
  const [filter, setFilter] = useState("");
  const tree = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return buildTree(needle ? files.filter((f) => f.path.toLowerCase().includes(needle)) : files);
  }, [files, filter]);
  const [selected, setSelected] = useState<string | null>(null);
  const [closed, setClosed] = useState<Set<string>>(new Set());
  const file = files.find((f) => f.path === selected) ?? null;
  const toggle = (path: string) => setClosed((c) => {
    const next = new Set(c);
    if (!next.delete(path)) next.add(path);
    return next;
  });

  const rows: { node: TreeNode; depth: number }[] = [];
  const walk = (node: TreeNode, depth: number) => {
    for (const child of node.children) {
      rows.push({ node: child, depth });
      if (child.children.length > 0 && !closed.has(child.path)) walk(child, depth + 1);
    }
  };
  walk(tree, 0);

  return (
    <div className="file-browser">
      {files.length > 5 && (
        <input className="input file-filter" type="search" placeholder="Filter files by path" aria-label="Filter files" value={filter} onChange={(e) => setFilter(e.target.value)} />
      )}
      <table className="table file-tree">
        <thead><tr><th>Name</th><th className="num">Size</th><th>Content type</th><th /></tr></thead>
        <tbody>
          {rows.map(({ node, depth }) => {
            const folder = node.children.length > 0;
            const f = node.file;
            return (
              <tr key={node.path} className={selected === node.path ? "selected" : undefined} data-path={node.path}>
                <td style={{ paddingLeft: 8 + depth * 18 }}>
                  {folder && (
                    <button className="tree-toggle" onClick={() => toggle(node.path)} aria-expanded={!closed.has(node.path)} aria-label={`${closed.has(node.path) ? "Open" : "Close"} ${node.path}`}>
                      {closed.has(node.path) ? "▸" : "▾"}
                    </button>
                  )}
                  {f ? (
                    <button className="link-button mono" onClick={() => setSelected(selected === node.path ? null : node.path)} aria-pressed={selected === node.path}>
                      {node.name}
                    </button>
                  ) : <span className="mono folder-name">{node.name}/</span>}
                  {f?.type === "fileSeries" && <span className="muted"> · {f.count} {f.count === 1 ? "entry" : "entries"}</span>}
                </td>
                <td className="mono num">{f ? formatBytes(f.size) : <span className="muted">{formatBytes(treeSize(node))}</span>}</td>
                <td className="mono">{f?.contentType ?? ""}</td>
                <td>{f && <a href={fileUrl(runId, f.path, { shareToken })} download={node.name}>Download</a>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {file && <FilePreview key={file.path} runId={runId} file={file} shareToken={shareToken} />}
    </div>
  );
}
