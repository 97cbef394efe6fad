import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/features/auth/sign-up-form";
import { currentUser } from "@/server/auth/page-actor";
import { getServices } from "@/server/registry";
import { needsSetup, openSignUp } from "@/server/services/accounts/instance-settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  const { database } = getServices();
  if (await needsSetup(database)) redirect("/setup");
  if (await currentUser()) redirect("/");
  if (!(await openSignUp(database))) {
    return (
      <div className="auth-card">
        <h1>Sign-up is by invitation</h1>
        <p>Accounts on this server are created from invite links. Ask a workspace admin for one.</p>
        <p><Link href="/signin">Back to sign-in</Link></p>
      </div>
    );
  }
  return <SignUpForm />;
}
