import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that bundlers must not touch.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository; the build that `npm start` makes need not.
  typescript: { ignoreBuildErrors: true },
  // The page policy (CSP, no framing) is set per request in src/proxy.ts; these hold for every response.
  async headers() {
    return [{
      source: "/:path*",
      headers: [
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      ],
    }];
  },
};

export default nextConfig;
