import type { RunFile } from "@/contracts/run-media";

export type TreeNode = { name: string; path: string; file: RunFile | null; children: TreeNode[] };

/**
 * Files as a folder tree by path segment. A path can be both a file and a folder
 * (`model` and `model/config.json`): the node then has a file and children.
 */
export function buildTree(files: RunFile[]): TreeNode {
  const root: TreeNode = { name: "", path: "", file: null, children: [] };
  for (const file of files) {
    let node = root;
    const parts = file.path.split("/");
    parts.forEach((name, i) => {
      const path = parts.slice(0, i + 1).join("/");
      let child = node.children.find((c) => c.name === name);
      if (!child) {
        child = { name, path, file: null, children: [] };
        node.children.push(child);
      }
      if (i === parts.length - 1) child.file = file;
      node = child;
    });
  }
  const sort = (n: TreeNode) => {
    // Folders first, then files, each by name.
    n.children.sort((a, b) => Number(a.children.length === 0) - Number(b.children.length === 0) || a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** Total bytes below a node (file series count their latest entry). */
export function treeSize(node: TreeNode): number {
  return (node.file?.size ?? 0) + node.children.reduce((n, c) => n + treeSize(c), 0);
}
