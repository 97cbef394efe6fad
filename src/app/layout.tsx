import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { TopBar } from "@/features/shell/top-bar";
import { currentUser } from "@/server/auth/page-actor";
import { getServices } from "@/server/registry";
import { getMe } from "@/server/services/accounts/me";
import { TRPCReactProvider } from "@/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Cairn", template: "%s · Cairn" },
  description: "Self-hosted experiment tracking for machine-learning teams",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <SignedInTopBar />
          <main className="container">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

/** The top bar for a signed-in person; nothing for visitors (sign-in, set-up, share links). */
async function SignedInTopBar() {
  // Read the cookies before touching services: this keeps the layout out of static prerendering.
  await cookies();
  const user = await currentUser();
  if (!user) return null;
  const me = await getMe({ ...getServices(), actor: user }).catch(() => null);
  return me ? <TopBar initialMe={me} /> : null;
}
