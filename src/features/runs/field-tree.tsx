"use client";

import { useMemo, useState } from "react";
import type { RunView } from "@/contracts/runs";
import { formatBytes, formatValue } from "@/components/format";
import { copyText } from "@/components/copy-button";

type Leaf = { kind: string; display: string; copy: string };
type Node = { name: string; path: string; children: Map<string, Node>; leaf?: Leaf; count: number };

/** Every field of a run as leaves: atoms (sys/ included), series summaries, files, tags. */
export function fieldLeaves(run: RunView): [string, Leaf][] {
  const out: [string, Leaf][] = [];
  for (const [path, v] of Object.entries(run.fields)) {
    const kind = v === null ? "empty" : typeof v === "number" ? "float" : typeof v === "boolean" ? "bool" : "string";
    out.push([path, { kind, display: formatValue(v), copy: v === null ? "" : String(v) }]);
  }
  for (const [path, s] of Object.entries(run.series)) {
    const last = formatValue(s.last);
    out.push([path, {
      kind: s.type === "floatSeries" ? "float series" : "text series",
      display: s.type === "floatSeries" ? `${last} at step ${formatValue(s.lastStep)} · ${s.count} points` : `${s.count} lines · last: ${last}`,
      copy: s.last === null ? "" : String(s.last),
    }]);
  }
  for (const [path, f] of Object.entries(run.files)) {
    out.push([path, {
      kind: f.type === "fileSeries" ? "file series" : "file",
      display: f.type === "fileSeries" ? `${f.count ?? 0} files` : `${formatBytes(f.size)} · ${f.contentType ?? "unknown type"}`,
      copy: f.sha256 ?? "",
    }]);
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

function buildTree(leaves: [string, Leaf][]): Node {
  const root: Node = { name: "", path: "", children: new Map(), count: 0 };
  for (const [path, leaf] of leaves) {
    let node = root;
    const parts = path.split("/");
    parts.forEach((part, i) => {
      node.count++;
      const sub = parts.slice(0, i + 1).join("/");
      let next = node.children.get(part);
      if (!next) {
        next = { name: part, path: sub, children: new Map(), count: 0 };
        node.children.set(part, next);
      }
      node = next;
    });
    node.leaf = leaf;
  }
  return root;
}

// Namespaces that are long and rarely read start folded.
const FOLDED = new Set(["sys", "monitoring", "source_code"]);

/** The run's whole field tree: filter by path or value, fold namespaces, copy paths and values. */
export function FieldTree({ run }: { run: RunView }) {
  const [filter, setFilter] = useState("");
  const [toggled, setToggled] = useState<Set<string>>(new Set());
  const leaves = useMemo(() => fieldLeaves(run), [run]);
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(
    () => (needle ? leaves.filter(([p, l]) => p.toLowerCase().includes(needle) || l.display.toLowerCase().includes(needle)) : leaves),
    [leaves, needle],
  );
  const tree = useMemo(() => buildTree(shown), [shown]);
  const isOpen = (path: string) => (needle ? true : FOLDED.has(path) ? toggled.has(path) : !toggled.has(path));
  const toggle = (path: string) => setToggled((s) => {
    const next = new Set(s);
    if (next.has(path)) next.delete(path); else next.add(path);
    return next;
  });

  return (
    <div className="field-tree">
      <div className="field-tree-bar">
        <input
          className="input" type="search" placeholder="Filter by path or value" aria-label="Filter fields"
          value={filter} onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted">{needle ? `${shown.length} of ${leaves.length} fields` : `${leaves.length} fields`}</span>
      </div>
      {shown.length === 0
        ? <p className="muted">No field matches “{filter}”.</p>
        : <ul role="tree" aria-label="Fields" className="tree">{[...tree.children.values()].map((n) => <TreeNode key={n.path} node={n} depth={0} isOpen={isOpen} toggle={toggle} />)}</ul>}
    </div>
  );
}

function TreeNode({ node, depth, isOpen, toggle }: { node: Node; depth: number; isOpen: (p: string) => boolean; toggle: (p: string) => void }) {
  const indent = { paddingLeft: `${depth * 16 + 4}px` };
  // A path can be both a leaf and a namespace only in theory; show the leaf row and its children.
  if (node.leaf && node.children.size === 0) {
    const prefix = node.path.slice(0, node.path.length - node.name.length);
    return (
      <li role="treeitem" aria-selected={false} className="tree-leaf" data-path={node.path}>
        <div className="tree-row" style={indent}>
          <span className="tree-name mono" title={node.path}><span className="tree-prefix">{prefix}</span>{node.name}</span>
          <span className="tree-value" title={node.leaf.display}>{node.leaf.display}</span>
          <span className="tree-kind muted">{node.leaf.kind}</span>
          <span className="tree-actions">
            <CopyIcon text={node.path} label={`Copy path ${node.path}`} caption="path" />
            <CopyIcon text={node.leaf.copy} label={`Copy value of ${node.path}`} caption="value" />
          </span>
        </div>
      </li>
    );
  }
  const open = isOpen(node.path);
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false} className="tree-ns" data-path={node.path}>
      <div className="tree-row" style={indent}>
        <button type="button" className="tree-toggle" onClick={() => toggle(node.path)} aria-label={`${open ? "Fold" : "Unfold"} ${node.path}`}>
          <span aria-hidden>{open ? "▾" : "▸"}</span> <span className="mono">{node.name}/</span>
        </button>
        <span className="muted tree-count">{node.count}</span>
        <span className="tree-actions"><CopyIcon text={node.path} label={`Copy path ${node.path}`} caption="path" /></span>
      </div>
      {open && (
        <ul role="group">
          {[...node.children.values()].map((c) => <TreeNode key={c.path} node={c} depth={depth + 1} isOpen={isOpen} toggle={toggle} />)}
        </ul>
      )}
    </li>
  );
}

/** A small copy control for a path or a value. */
function CopyIcon({ text, label, caption }: { text: string; label: string; caption: string }) {
  const [done, setDone] = useState(false);
  async function copy() {
    await copyText(text);
    setDone(true);
    setTimeout(() => setDone(false), 1200);
  }
  return <button type="button" className="copy-mini" aria-label={label} title={label} onClick={copy}>{done ? "copied" : caption}</button>;
}
