import type { BrowserContext, Page } from "playwright-core";

/**
 * next-auth's URL is http://localhost:<port> (the server sets NEXTAUTH_URL so), and its cookies
 * and redirects only work on that origin: browse there, not on 127.0.0.1.
 */
export const browserUrl = (serverUrl: string) => serverUrl.replace("127.0.0.1", "localhost");

/** A page that records uncaught errors, with timeouts for a busy 2-core machine. */
export async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.setDefaultNavigationTimeout(30_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

/** Signs in through the sign-in form and waits to land on `landing`. */
export async function signInWithForm(page: Page, base: string, email: string, password: string, landing: RegExp): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(landing);
}

/** A tRPC mutation sent from inside the page, with its session cookie, the way a hand-crafted request would. */
export function mutateFromPage(page: Page, procedure: string, input: unknown): Promise<{ status: number; code: string | null }> {
  return page.evaluate(async ([p, i]) => {
    const res = await fetch(`/api/trpc/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: i }) });
    const body = await res.json().catch(() => null) as { error?: { json?: { data?: { code?: string } } } } | null;
    return { status: res.status, code: body?.error?.json?.data?.code ?? null };
  }, [procedure, input] as const);
}
