import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/features/auth/setup-form";
import { getServices } from "@/server/registry";
import { needsSetup } from "@/server/services/accounts/instance-settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up" };

type Search = { token?: string | string[] };

/** The set-up link the server prints carries `?token=`; without it the form asks for the token. */
export default async function SetupPage({ searchParams }: { searchParams: Promise<Search> }) {
  const services = getServices();
  if (!(await needsSetup(services.database))) redirect("/signin");
  const search = await searchParams;
  const token = (Array.isArray(search.token) ? search.token[0] : search.token) ?? "";
  return <SetupForm tokenRequired={services.auth.setupToken !== null} token={token.slice(0, 200)} />;
}
