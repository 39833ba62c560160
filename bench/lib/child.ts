import { spawn } from "node:child_process";
import path from "node:path";
import { serverNodeOptions } from "../../scripts/server-node-options.mjs";

/**
 * Runs a bench child script in plain Node with tsx's loader (`node --import tsx`: one process, so a signal or
 * a peak-RSS reading is the script's own, not a wrapper's) and server-only-hook.mjs (so lib modules marked
 * `server-only` load), and returns the last JSON line it printed. Its stderr is passed through. The child runs
 * with the server's Node flags (scripts/server-node-options.mjs: the old-space ceiling `npm start` sets), as the
 * work it measures — an import, the engine's jobs, sequence emails, the review — runs inside `next start`: without
 * the ceiling V8 lets garbage pile up towards ~4 GB and the peak RSS measured is the garbage's, not the work's.
 */
export function runChild<T>(script: string, args: string[], opts: { onLine?: (line: string) => void; onSpawn?: (pid: number) => void } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", path.join(process.cwd(), "bench", "lib", "server-only-hook.mjs"), "--import", "tsx", path.join(process.cwd(), "bench", "children", script), ...args], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_OPTIONS: serverNodeOptions(process.env), NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    opts.onSpawn?.(child.pid!);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      let nl: number;
      while ((nl = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        last = line || last;
        opts.onLine?.(line);
      }
    });
    let last = "";
    child.once("exit", (code, signal) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(last) as T);
        } catch {
          reject(new Error(`${script}: no result line (${last})`));
        }
      } else reject(new Error(`${script} ${args[0] ?? ""} exited with ${code ?? signal}`));
    });
  });
}
