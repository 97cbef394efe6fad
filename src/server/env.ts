import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  CAIRN_DATA_DIR: z.string().default(".cairn"),
  // Public base URL used in links returned by the API (defaults to http://localhost:PORT).
  CAIRN_PUBLIC_URL: z.string().url().optional(),
  // Origins besides the public URL's whose pages may open live-update sockets with the session
  // cookie (comma-separated, e.g. https://cairn.example.com,https://ml.example.com:8443).
  CAIRN_ALLOWED_ORIGINS: z.string().optional(),
  REDIS_URL: z.string().url().optional(),
  CAIRN_LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
  // "false" serves only the API and live updates (no pages): for API-only nodes and tests.
  CAIRN_WEB: z.enum(["true", "false"]).default("true"),
  // Write transactions in flight at once on PostgreSQL (PGlite has one connection).
  CAIRN_WRITER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  // Points waiting for the writer beyond which requests get 429 (bounds the server's memory).
  CAIRN_WRITER_QUEUE_POINTS: z.coerce.number().int().min(1).default(2_000_000),
  // Signs session cookies. Generated and stored in the database on first start when unset.
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  // Optional OpenID Connect single sign-on: all three or none.
  CAIRN_OIDC_ISSUER: z.string().url().optional(),
  CAIRN_OIDC_CLIENT_ID: z.string().optional(),
  CAIRN_OIDC_CLIENT_SECRET: z.string().optional(),
  CAIRN_OIDC_NAME: z.string().default("Single sign-on"),
  // Guards first-admin set-up. Unset: derived from the session secret and printed at start while
  // set-up is pending; "none": set-up needs no token (a private network that provisions itself).
  CAIRN_SETUP_TOKEN: z.string().refine((v) => v === "none" || v.length >= 16, "must be at least 16 characters, or \"none\"").optional(),
});

export type Env = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string | undefined;
  allowedOrigins: string[];
  redisUrl: string | undefined;
  logLevel: "silent" | "error" | "info";
  web: boolean;
  writerConcurrency: number;
  writerQueuePoints: number;
  authSecret: string | undefined;
  oidc: OidcConfig | null;
  setupToken: SetupTokenConfig;
};

/** Where the first-admin set-up token comes from. */
export type SetupTokenConfig = { kind: "given"; token: string } | { kind: "generated" } | { kind: "off" };

export type OidcConfig = { issuer: string; clientId: string; clientSecret: string; name: string };

/** Reads and validates the environment once; everything else receives the result. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable (DATABASE_URL= ) means unset, as shells and compose files use it.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  const e = parsed.data;
  const oidcParts = [e.CAIRN_OIDC_ISSUER, e.CAIRN_OIDC_CLIENT_ID, e.CAIRN_OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new Error("Invalid environment: single sign-on needs CAIRN_OIDC_ISSUER, CAIRN_OIDC_CLIENT_ID and CAIRN_OIDC_CLIENT_SECRET together");
  }
  const allowedOrigins = (e.CAIRN_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean).map((o) => {
    let url: URL | null = null;
    try { url = new URL(o); } catch { /* reported below */ }
    // An origin is scheme://host[:port] and nothing more: a path would never match a browser's Origin.
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== "/" || url.search || url.hash || url.username) {
      throw new Error(`Invalid environment: CAIRN_ALLOWED_ORIGINS: "${o}" is not an origin like https://cairn.example.com or http://host:8080`);
    }
    return url.origin;
  });
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.CAIRN_DATA_DIR),
    publicUrl: e.CAIRN_PUBLIC_URL,
    allowedOrigins,
    redisUrl: e.REDIS_URL,
    logLevel: e.CAIRN_LOG_LEVEL,
    web: e.CAIRN_WEB === "true",
    writerConcurrency: e.CAIRN_WRITER_CONCURRENCY,
    writerQueuePoints: e.CAIRN_WRITER_QUEUE_POINTS,
    authSecret: e.NEXTAUTH_SECRET,
    oidc: e.CAIRN_OIDC_ISSUER && e.CAIRN_OIDC_CLIENT_ID && e.CAIRN_OIDC_CLIENT_SECRET
      ? { issuer: e.CAIRN_OIDC_ISSUER.replace(/\/$/, ""), clientId: e.CAIRN_OIDC_CLIENT_ID, clientSecret: e.CAIRN_OIDC_CLIENT_SECRET, name: e.CAIRN_OIDC_NAME }
      : null,
    setupToken: e.CAIRN_SETUP_TOKEN === "none" ? { kind: "off" } : e.CAIRN_SETUP_TOKEN ? { kind: "given", token: e.CAIRN_SETUP_TOKEN } : { kind: "generated" },
  };
}
