"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorText, Field } from "@/components/form";
import { When } from "@/components/when";
import { useTRPC } from "@/trpc/client";

type Filters = { action?: string; actor?: string; targetKind?: string; from?: string; to?: string };

const TARGET_KINDS = ["", "user", "project", "workspace", "apiKey", "serviceAccount", "shareLink", "invite", "instance"];

/** The audit log of a workspace or one project, newest first, with filters and "load more". */
export function AuditLog({ scope }: { scope: { workspaceId: string } | { projectId: string } }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const log = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions(
    { ...scope, ...filters, limit: 50 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  ));

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k: string) => String(form.get(k) ?? "").trim() || undefined;
    const day = (k: string, end: boolean) => {
      const v = get(k);
      if (!v) return undefined;
      // Dates from the picker are whole UTC days; "to" includes its day.
      const t = Date.parse(`${v}T00:00:00Z`) + (end ? 86_400_000 : 0);
      return new Date(t).toISOString();
    };
    setFilters({ action: get("action"), actor: get("actor"), targetKind: get("targetKind"), from: day("from", false), to: day("to", true) });
  }

  const events = log.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <section className="settings-section" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <div className="panel">
        <form className="filters" onSubmit={apply} aria-label="Audit log filters">
          <Field label="Action starts with" name="action" placeholder="e.g. project.member" />
          <Field label="Actor (email or id)" name="actor" />
          <label className="field">
            <span className="field-label">Target</span>
            <select className="input" name="targetKind" defaultValue="">
              {TARGET_KINDS.map((k) => <option key={k} value={k}>{k || "any"}</option>)}
            </select>
          </label>
          <Field label="From (UTC)" name="from" type="date" />
          <Field label="To (UTC)" name="to" type="date" />
          <button type="submit" className="btn">Filter</button>
        </form>
        <ErrorText error={log.error} />
        {log.isLoading && <p className="muted">Loading…</p>}
        {log.data && events.length === 0 && <p className="muted">No events match.</p>}
        {events.length > 0 && (
          <div className="table-wrap">
            <table className="table" aria-label="Audit log">
              <thead><tr><th>When</th><th>Actor</th><th>Action</th><th>Target</th><th>Before</th><th>After</th></tr></thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td><When iso={e.at} /></td>
                    <td>{e.actor.label}</td>
                    <td className="mono">{e.action}</td>
                    <td>{e.target.label ?? <span className="mono">{`${e.target.kind} ${e.target.id.slice(0, 8)}`}</span>}</td>
                    <td><Json value={e.before} /></td>
                    <td><Json value={e.after} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {log.hasNextPage && (
          <p><button type="button" className="btn btn-small" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>Load more</button></p>
        )}
      </div>
    </section>
  );
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  const text = typeof value === "object"
    ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join("\n")
    : String(value);
  return <span className="json">{text}</span>;
}
