import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/features/auth/setup-form";
import { getServices } from "@/server/registry";
import { needsSetup } from "@/server/services/accounts/instance-settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  if (!(await needsSetup(getServices().database))) redirect("/signin");
  return <SetupForm />;
}
