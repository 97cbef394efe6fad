import { CodeBlock } from "@/components/code-block";
import { plural } from "@/components/format";
import { RunList } from "@/components/run-list";
import { requireUser } from "@/server/auth/page-actor";
import { getServices } from "@/server/registry";
import { listProjects, type ProjectSummary, type WorkspaceSummary } from "@/server/services/projects/list-projects";
import { runUrl } from "@/server/services/runs/run-url";

// Read from the database on every request; nothing here can be prerendered at build time.
export const dynamic = "force-dynamic";

const RUNS_SHOWN = 10;

export default async function HomePage() {
  const actor = await requireUser("/");
  const services = getServices();
  const workspaces = await listProjects({ ...services, actor }, { runsPerProject: RUNS_SHOWN });
  const now = Date.now();
  const projectCount = workspaces.reduce((n, w) => n + w.projects.length, 0);
  if (projectCount === 0) return <GettingStarted baseUrl={services.publicUrl} />;

  return (
    <>
      <h1 className="page-title">Projects</h1>
      {workspaces.map((workspace) => (
        <section key={workspace.id} className="workspace">
          <h2 className="workspace-title">{workspace.name}</h2>
          {workspace.projects.length === 0
            ? <p className="muted">No projects in this workspace yet.</p>
            : workspace.projects.map((project) => <ProjectCard key={project.id} workspace={workspace} project={project} now={now} />)}
        </section>
      ))}
    </>
  );
}

function ProjectCard({ workspace, project, now }: { workspace: WorkspaceSummary; project: ProjectSummary; now: number }) {
  const ref = { workspaceSlug: workspace.slug, slug: project.slug };
  return (
    <article className="card" id={`${workspace.slug}/${project.slug}`}>
      <header className="card-head">
        <h3>{project.name}</h3>
        <span className="key-chip mono" title="project key">{project.key}</span>
        <span className="muted mono">{`${workspace.slug}/${project.slug}`}</span>
        <span className="spacer" />
        <span className="muted">{plural(project.runCount, "run")}</span>
      </header>
      {project.latestRuns.length === 0
        ? <p className="muted card-body">No runs yet.</p>
        : (
          <RunList
            now={now}
            runs={project.latestRuns.map((run) => ({ ...run, href: runUrl("", ref, run.key) }))}
          />
        )}
      {project.runCount > project.latestRuns.length && (
        <p className="muted card-foot">{`Showing the latest ${project.latestRuns.length} of ${project.runCount} runs.`}</p>
      )}
    </article>
  );
}

function GettingStarted({ baseUrl }: { baseUrl: string }) {
  const base = baseUrl.replace(/\/$/, "");
  return (
    <div className="empty">
      <h1>No projects yet</h1>
      <p>Cairn is running. To track your first run, create an API key and log to it from a training script.</p>

      <h2>1. Create a project and an API key</h2>
      <p>
        Open your workspace from the switcher above and create a project, then create an API key under
        {" "}<a href="/settings">Settings → API keys</a>. The key is shown once; keep it secret.
      </p>
      <p className="muted">
        From a shell, <code>npm run admin -- create-api-key --workspace &lt;slug&gt; --project &lt;slug&gt; --email &lt;email&gt;</code>
        {" "}does the same (and creates what is missing). With the embedded database only one process can open it at a
        time: stop the server first.
      </p>

      <h2>2. Log a run</h2>
      <p>Create a run with its parameters, then append metric points to it:</p>
      <CodeBlock>{[
        `export CAIRN_API_KEY=<the key>`,
        `curl -s -X POST ${base}/api/v1/projects/<workspace>/<project>/runs \\`,
        `  -H "Authorization: Bearer $CAIRN_API_KEY" -H "Content-Type: application/json" \\`,
        `  -d '{"name": "first run", "fields": {"params/lr": 0.1}}'`,
        `# → {"id": "<run id>", "key": "...", "url": "..."}`,
        ``,
        `curl -s -X POST ${base}/api/v1/runs/<run id>/ops \\`,
        `  -H "Authorization: Bearer $CAIRN_API_KEY" -H "Content-Type: application/json" \\`,
        `  -d '{"batchId": "b1", "ops": [{"append": "train/loss",`,
        `       "points": [{"value": 1}, {"value": 0.5}]}]}'`,
      ].join("\n")}</CodeBlock>

      <h2>3. Come back here</h2>
      <p>Reload this page: your project and its runs appear, newest first.</p>
      <p><a href="/">Reload</a></p>
    </div>
  );
}
