"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { slugify } from "@/contracts/accounts";
import { ErrorText, Field, SelectField } from "@/components/form";
import { useTRPC } from "@/trpc/client";

/** Any workspace member may create a project; they become its owner. */
export function NewProjectForm({ workspaceId, workspaceSlug }: { workspaceId: string; workspaceSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.projects.create.mutationOptions());
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate({
      workspaceId, name: name.trim() || undefined, slug: slug || slugify(name),
      visibility: form.get("visibility") === "workspace" ? "workspace" : "private",
    }, { onSuccess: (p) => router.push(`/${workspaceSlug}/${p.slug}`) });
  }

  return (
    <section className="settings-section" aria-labelledby="new-project-h">
      <h2 id="new-project-h">New project</h2>
      <form className="panel stack" onSubmit={submit} aria-label="New project">
        <div className="row">
          <Field label="Project name" name="name" required maxLength={100} value={name} onChange={(e) => {
            setName(e.currentTarget.value);
            if (!slugEdited) setSlug(slugify(e.currentTarget.value).replace(/^workspace$/, ""));
          }} />
          <Field label="Slug" name="slug" required pattern="[a-z0-9][a-z0-9\-]{0,62}" value={slug} onChange={(e) => { setSlug(e.currentTarget.value); setSlugEdited(true); }} hint="Lower-case letters, digits and -; part of the URL." />
          <SelectField label="Visible to" name="visibility" defaultValue="private" options={[
            { value: "private", label: "Members I add" },
            { value: "workspace", label: "Everyone in the workspace" },
          ]} />
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>Create project</button>
        </div>
        <ErrorText error={create.error} />
      </form>
    </section>
  );
}
