import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/features/auth/sign-in-form";
import { safeRedirectPath } from "@/contracts/safe-redirect";
import { signInErrorText } from "@/features/auth/sign-in-errors";
import { currentUser } from "@/server/auth/page-actor";
import { getServices } from "@/server/registry";
import { needsSetup, openSignUp } from "@/server/services/accounts/instance-settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type Search = { callbackUrl?: string | string[]; error?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const services = getServices();
  if (await needsSetup(services.database)) redirect("/setup");
  const callbackUrl = safeRedirectPath(search.callbackUrl, services.publicUrl);
  if (await currentUser()) redirect(callbackUrl);
  const error = Array.isArray(search.error) ? search.error[0] : search.error;
  return (
    <SignInForm
      callbackUrl={callbackUrl}
      initialError={signInErrorText(error)}
      sso={services.auth.oidc ? { name: services.auth.oidc.name } : null}
      openSignUp={await openSignUp(services.database)}
    />
  );
}
