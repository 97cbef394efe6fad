"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { ErrorText, Field } from "@/components/form";
import { TimeAgo } from "@/components/time-ago";
import { useTRPC } from "@/trpc/client";

/** A project's dashboards; contributors and up create new ones. */
export function DashboardList({ projectId, base, canEdit, now }: { projectId: string; base: string; canEdit: boolean; now: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.dashboards.list.queryOptions({ projectId }));
  const create = useMutation(trpc.dashboards.create.mutationOptions({
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: trpc.dashboards.list.queryKey() });
      router.push(`${base}/dashboards/${d.id}`);
    },
  }));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    create.mutate({ projectId, name: String(new FormData(e.currentTarget).get("name") ?? "") });
  }

  return (
    <>
      {canEdit && (
        <form className="row" onSubmit={submit} aria-label="New dashboard">
          <Field label="New dashboard" name="name" required maxLength={100} placeholder="Training overview" />
          <button type="submit" className="btn" disabled={create.isPending}>Create</button>
        </form>
      )}
      <ErrorText error={create.error ?? list.error} />
      {list.data && list.data.length === 0 && <p className="muted">No dashboards yet.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table" aria-label="Dashboards">
          <thead><tr><th>Name</th><th className="num">Widgets</th><th>Created by</th><th>Updated</th></tr></thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.id}>
                <td><Link href={`${base}/dashboards/${d.id}`}>{d.name}</Link></td>
                <td className="num mono">{d.widgets}</td>
                <td>{d.createdBy ?? "—"}</td>
                <td><TimeAgo iso={d.updatedAt} now={now} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
