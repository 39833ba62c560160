import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Makes sure a production build exists in `distDir` (CHAOS_REBUILD=1 forces one), keeping tsconfig.json and
 * next-env.d.ts as they were (a build rewrites them).
 */
export function ensureBuild(root: string, distDir: string): void {
  if (fs.existsSync(path.join(root, distDir, "BUILD_ID")) && process.env.CHAOS_REBUILD !== "1") return;
  console.info(`[chaos] building into ${distDir}/ …`);
  const keep = ["tsconfig.json", "next-env.d.ts"].map((f) => [f, fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f)) : null] as const);
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
  for (const [f, content] of keep) if (content) fs.writeFileSync(path.join(root, f), content);
  if (result.status !== 0) throw new Error(`next build failed (${result.status})`);
}
