"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The header pages opened through a share link send instead of a session (see server/api/context.ts). */
const SHARE_HEADER = "x-cairn-share";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // Live updates arrive over socket.io; refetching on focus would only add load.
      queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: (n, err) => n < 2 && !/UNAUTHORIZED|NOT_FOUND|FORBIDDEN/.test(String((err as { data?: { code?: string } })?.data?.code)) },
    },
  });
}

/**
 * tRPC and TanStack Query for client components. `shareToken` is set on pages opened through
 * a share link: every call then acts as that link, read-only.
 */
export function TRPCReactProvider({ children, shareToken }: { children: ReactNode; shareToken?: string }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: "/api/trpc",
          transformer: superjson,
          headers: () => (shareToken ? { [SHARE_HEADER]: shareToken } : {}),
        }),
      ],
    }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>{children}</TRPCProvider>
    </QueryClientProvider>
  );
}
