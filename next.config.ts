import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Messages are compiled at build time (next-intl's `precompile`, decision 59): the catalogs under lib/i18n/messages
// reach the server and the browser as compiled ICU, so no request parses a message again (use-intl's parse cache
// lives and dies with each request: ~5 ms of a 10,000-deal board render on PostgreSQL). A message that is not
// valid ICU fails the build (tests/unit/i18n-catalogs.test.ts catches it first).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./lib/i18n/request.ts",
  experimental: { messages: { path: "./lib/i18n/messages", format: "json", locales: ["en", "zh-CN"], precompile: true } },
});

const nextConfig: NextConfig = {
  // PGlite loads its wasm by URL; bundling it breaks that at run time (see docs/decisions.md).
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
  // A second build directory lets e2e runs build beside a running dev server (NEXT_DIST_DIR=.next-e2e).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  typedRoutes: false,
  // Index pages that only send the visitor on are answered here, before any rendering: a page that calls
  // redirect() is rendered (layout, session, membership) to throw, and under 50 concurrent users those renders
  // kept ~70 KB each on the heap until the server ran out of its 256 MB (tests/chaos/load.test.ts, decision 53).
  async redirects() {
    return [
      { source: "/w/:workspace((?!new$)[^/]+)", destination: "/w/:workspace/pipelines", permanent: false },
      { source: "/w/:workspace/reports", destination: "/w/:workspace/reports/review", permanent: false },
    ];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
