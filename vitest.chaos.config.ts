import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:chaos`: fault and load tests (tests/chaos), kept out of `npm test` because they start their own
 * PostgreSQL, kill child processes and run a production server. One file at a time: they measure and they load
 * the machine. CHAOS_QUICK=1 shortens the load test (CI).
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tests/helpers/empty.ts"),
    },
  },
  test: {
    include: ["tests/chaos/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
