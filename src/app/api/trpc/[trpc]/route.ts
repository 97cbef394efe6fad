import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { boundedRequest, MAX_TRPC_BATCH } from "@/server/api/bounded-request";
import { createContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";

const handler = async (raw: Request) => {
  const req = await boundedRequest(raw);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc", req, router: appRouter, maxBatchSize: MAX_TRPC_BATCH, createContext: () => createContext(req),
  });
};

export { handler as GET, handler as POST };
