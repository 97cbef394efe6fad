/** Browser-like calls to a running server: tRPC over HTTP and next-auth's password sign-in. */

type Jar = Map<string, string>;

function absorb(jar: Jar, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") jar.delete(name);
    else jar.set(name, value);
  }
}

export const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** Signs in with e-mail and password the way the sign-in form does; returns the session cookies. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<{ cookie: string; status: number; error: string | null }> {
  const jar: Jar = new Map();
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  absorb(jar, csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  absorb(jar, res);
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  const error = new URL(location || "/", baseUrl).searchParams.get("error");
  return { cookie: [...jar.keys()].some((k) => k.includes("session-token")) ? cookieHeader(jar) : "", status: res.status, error };
}

export type TrpcResult<T> = { status: number; data?: T; error?: { code: string; message: string } };

/** One tRPC call (no batching), as the browser's client makes it, with superjson's envelope. */
export async function trpc<T>(
  baseUrl: string, procedure: string, input: unknown,
  opts: { kind?: "query" | "mutation"; cookie?: string; share?: string } = {},
): Promise<TrpcResult<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.share) headers["x-cairn-share"] = opts.share;
  const payload = JSON.stringify({ json: input });
  const res = opts.kind === "query"
    ? await fetch(`${baseUrl}/api/trpc/${procedure}?input=${encodeURIComponent(payload)}`, { headers })
    : await fetch(`${baseUrl}/api/trpc/${procedure}`, { method: "POST", headers, body: payload });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: { json: { message: string; data: { code: string } } } };
  if (body.error) return { status: res.status, error: { code: body.error.json.data.code, message: body.error.json.message } };
  return { status: res.status, data: body.result!.data.json };
}

/** The set-up token the test servers are started with (test/helpers/server.ts sets CAIRN_SETUP_TOKEN). */
export const TEST_SETUP_TOKEN = "test-setup-token-0123456789";

/** Turns the seeded owner (sdk@example.com) into the instance admin with a password and signs in. */
export async function adminSession(baseUrl: string, password = "correct horse battery"): Promise<string> {
  const setup = await trpc(baseUrl, "account.setup", { name: "Ada Admin", email: "sdk@example.com", password, workspaceName: "Home", setupToken: TEST_SETUP_TOKEN });
  if (setup.error && setup.error.code !== "CONFLICT") throw new Error(`setup failed: ${setup.error.message}`);
  const { cookie, error } = await signIn(baseUrl, "sdk@example.com", password);
  if (!cookie) throw new Error(`sign-in failed: ${error}`);
  return cookie;
}
