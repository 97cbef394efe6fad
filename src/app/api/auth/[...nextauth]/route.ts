import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/auth-options";
import { loadEnv } from "@/server/env";

const handler = NextAuth(authOptions(loadEnv().oidc));
export { handler as GET, handler as POST };
