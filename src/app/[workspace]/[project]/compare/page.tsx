import type { Metadata } from "next";
import Link from "next/link";
import { CompareView } from "@/features/compare/compare-view";
import { allows } from "@/server/authz/authorize";
import { requireUser } from "@/server/auth/page-actor";
import { loadOr404 } from "@/server/auth/page-load";
import { getServices } from "@/server/registry";
import { loadCompareRuns } from "@/server/services/compare/load-compare-runs";
import { getProjectSettings } from "@/server/services/projects/get-project-settings";

export const dynamic = "force-dynamic";

type Params = { workspace: string; project: string };
type Search = { runs?: string | string[] };

const refsOf = (runs: Search["runs"]) =>
  (Array.isArray(runs) ? runs.join(",") : runs ?? "").split(",").map((r) => r.trim()).filter(Boolean);

export async function generateMetadata({ searchParams }: { searchParams: Promise<Search> }): Promise<Metadata> {
  const refs = refsOf((await searchParams).runs);
  return { title: refs.length ? `Compare ${refs.slice(0, 5).join(", ")}${refs.length > 5 ? "…" : ""}` : "Compare runs" };
}

/** /<workspace>/<project>/compare?runs=<id or key>,… — 2 to 100 runs of the project side by side. */
export default async function ComparePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { workspace, project } = await params;
  const refs = refsOf((await searchParams).runs);
  const query = refs.length ? `?runs=${refs.map(encodeURIComponent).join(",")}` : "";
  const actor = await requireUser(`/${workspace}/${project}/compare${query}`);
  const ctx = { ...getServices(), actor };
  const settings = await loadOr404(() => getProjectSettings(ctx, { workspace, project }));
  const crumbs = (
    <nav className="crumbs">
      <Link href={`/${settings.workspace.slug}`}>{settings.workspace.name}</Link>
      <span className="sep">/</span>
      <Link href={`/${settings.workspace.slug}/${settings.slug}`}>{settings.name}</Link>
      <span className="sep">/</span>
      <span>Compare</span>
    </nav>
  );
  if (refs.length < 2 || refs.length > 100) {
    return (
      <>
        {crumbs}
        <h1 className="page-title">Compare runs</h1>
        <p className="muted">{refs.length > 100 ? "Compare at most 100 runs at a time." : "Choose 2 to 100 runs: select them in the run table and press Compare, or enter their keys."}</p>
        <form className="row" method="get">
          <label className="field"><span className="field-label">Run keys or ids, comma-separated</span>
            <input className="input" name="runs" defaultValue={refs.join(",")} placeholder={`${settings.key}-1,${settings.key}-2`} />
          </label>
          <button type="submit" className="btn">Compare</button>
        </form>
      </>
    );
  }
  const data = await loadOr404(() => loadCompareRuns(ctx, { workspace, project, runs: refs }));
  const canShare = await allows(ctx.database, actor, "run.write", data.project.id);
  return (
    <>
      {crumbs}
      <CompareView initial={data} canShare={canShare} />
    </>
  );
}
