import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { OidcConfig } from "@/server/env";
import { getServices } from "@/server/registry";
import { safeRedirectPath } from "@/contracts/safe-redirect";
import { AppError } from "@/server/errors";
import { signInWithPassword } from "@/server/services/accounts/sign-in";
import { accountForOidc } from "@/server/services/accounts/oidc-user";

// Set by the custom server from the socket's address (any value the client sent is replaced),
// so rate limits key on the real peer.
export const CLIENT_IP_HEADER = "x-cairn-client-ip";

type OidcProfile = { sub: string; email?: string; email_verified?: boolean; name?: string; preferred_username?: string };

function oidcProvider(config: OidcConfig): OAuthConfig<OidcProfile> {
  return {
    id: "oidc",
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile" } },
    // Conformant providers may put only `sub` in the ID token and the rest behind userinfo.
    profile: async (p, tokens) => {
      const claims = p.email || !tokens.access_token ? p : { ...(await userinfo(config.issuer, tokens.access_token)), ...p };
      return {
        id: p.sub, email: claims.email ?? null, name: claims.name ?? claims.preferred_username ?? null,
        emailVerified: claims.email_verified !== false,
      };
    },
  };
}

async function userinfo(issuer: string, accessToken: string): Promise<Partial<OidcProfile>> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { userinfo_endpoint?: string };
  if (!discovery.userinfo_endpoint) return {};
  const res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  return res.ok ? ((await res.json()) as Partial<OidcProfile>) : {};
}

/** next-auth's options: e-mail and password always, OpenID Connect when configured. */
export function authOptions(oidc: OidcConfig | null): AuthOptions {
  return {
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "password",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          try {
            const user = await signInWithPassword(getServices().database, {
              email: String(credentials?.email ?? ""), password: String(credentials?.password ?? ""),
              ip: headers[CLIENT_IP_HEADER] ?? "unknown",
            });
            return user ? { id: user.id, email: user.email, name: user.name } : null;
          } catch (error) {
            // next-auth passes a thrown message to the sign-in page as ?error=...
            if (error instanceof AppError && error.code === "rate_limited") throw new Error(error.message);
            throw error;
          }
        },
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    callbacks: {
      // Every redirect next-auth makes (callbackUrl on sign-in, sign-out, errors) stays on this site.
      redirect({ url, baseUrl }) {
        return new URL(baseUrl).origin + safeRedirectPath(url, baseUrl);
      },
      async signIn({ user, account }) {
        if (account?.provider !== "oidc" || !oidc) return true;
        const mapped = user as { email?: string | null; name?: string | null; emailVerified?: boolean };
        const found = await accountForOidc(getServices().database, {
          issuer: oidc.issuer, subject: account.providerAccountId, email: mapped.email ?? null,
          emailVerified: mapped.emailVerified !== false, name: mapped.name ?? null,
        });
        if (!found) return "/signin?error=NoAccount";
        (user as { cairnId?: string }).cairnId = found.id;
        return true;
      },
      jwt({ token, user }) {
        if (user) token.uid = (user as { cairnId?: string }).cairnId ?? user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { id?: unknown }).id = token.uid;
        return session;
      },
    },
  };
}
