import type { ProjectRef } from "../projects/find-project";

export const runUrl = (base: string, project: Pick<ProjectRef, "workspaceSlug" | "slug">, runKey: string) =>
  `${base.replace(/\/$/, "")}/${encodeURIComponent(project.workspaceSlug)}/${encodeURIComponent(project.slug)}/runs/${encodeURIComponent(runKey)}`;
