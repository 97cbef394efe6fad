"use client";

import type { RunView } from "@/contracts/runs";
import { formatBytes } from "@/components/format";
import { fileUrl } from "./file-url";

/** The run page's media sections: console, images, interactive charts, files, source code. */
export function RunMedia({ run, shareToken }: { run: RunView; shareToken?: string }) {
  const files = Object.entries(run.files);
  return (
    <div className="run-media">
      <section className="section">
        <h2>Files</h2>
        {files.length === 0 ? <p className="muted">No files uploaded.</p> : (
          <table className="table files">
            <thead><tr><th>Path</th><th className="num">Size</th><th>Content type</th><th /></tr></thead>
            <tbody>
              {files.map(([path, f]) => (
                <tr key={path}>
                  <td className="mono">{path}</td>
                  <td className="mono num">{formatBytes(f.size)}</td>
                  <td className="mono">{f.contentType ?? "—"}</td>
                  <td><a href={fileUrl(run.id, path, { shareToken })} download>Download</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
