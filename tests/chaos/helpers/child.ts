import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");

/**
 * Starts a chaos child script (tests/chaos/children, or a repository path such as bench/children/import.ts) as its own Node process with tsx and the bench's
 * server-only resolve hook, so lib modules load outside Next.js exactly as they do in the bench children.
 * `lines` collects what it prints on stdout; `exited` resolves with its exit code or signal.
 */
export function startChild(script: string, args: string[], env: Record<string, string> = {}) {
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild, which a SIGKILL of the
  // CLI would leave running.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "--import", path.join(root, "bench", "lib", "server-only-hook.mjs"), script.includes("/") ? path.join(root, script) : path.join(root, "tests", "chaos", "children", script), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  let buf = "";
  child.stdout!.on("data", (c: Buffer) => {
    buf += c.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, lines, exited, stderr: () => stderr };
}

/** Runs a child to its end and returns its last stdout line parsed as JSON (throws with its stderr on failure). */
export async function runChildToEnd<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const c = startChild(script, args, env);
  const { code, signal } = await c.exited;
  if (code !== 0) throw new Error(`${script} exited with ${code ?? signal}:\n${c.stderr()}`);
  return JSON.parse(c.lines.filter(Boolean).at(-1) ?? "null") as T;
}
