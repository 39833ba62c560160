import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { serverNodeOptions } from "../../scripts/server-node-options.mjs";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process and all its descendants, from /proc (Linux), in MB; null when unavailable. */
export function treeRssMb(rootPid: number): { rss: number; hwm: number } | null {
  try {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        // exited meanwhile
      }
    }
    let rss = 0;
    let hwm = 0;
    const visit = (pid: number) => {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return;
      }
      for (const child of children.get(pid) ?? []) visit(child);
    };
    visit(rootPid);
    return { rss, hwm };
  } catch {
    return null;
  }
}

export type Server = {
  base: string;
  pid: number;
  /** ms from spawn to the "Ready" line, and from "Ready" to the first answered request (sign-in page). */
  readyMs: number;
  firstRequestMs: number;
  rssSamples: { at: number; mb: number }[];
  peakRssMb: () => number;
  currentRssMb: () => number;
  stop: () => Promise<void>;
  log: () => string;
};

/**
 * `next start` of the production build in `distDir` on a free port, with `env` (database, bench switches).
 * Samples the process tree's RSS every 250 ms while it runs.
 */
export async function startServer(root: string, distDir: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [nextBin, "start", "-p", String(port)], {
    cwd: root,
    // The Node flags `npm start` uses (scripts/server-node-options.mjs); BENCH_SERVER_NODE_OPTIONS replaces them.
    env: { ...env, NODE_OPTIONS: env.BENCH_SERVER_NODE_OPTIONS ?? serverNodeOptions(env), NEXT_DIST_DIR: distDir, PORT: String(port), APP_URL: base, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let readyAt = 0;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (!readyAt && /Ready in/i.test(output)) readyAt = performance.now();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 120_000;
  while (!readyAt) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`next start not ready after 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  // The first request after "Ready": instrumentation (migrations check, database open) finishes before it is answered.
  const response = await fetch(`${base}/login`);
  await response.arrayBuffer();
  const firstAt = performance.now();
  if (!response.ok) throw new Error(`GET /login answered ${response.status}:\n${output}`);

  const samples: { at: number; mb: number }[] = [];
  let peak = 0;
  let current = 0;
  const sample = () => {
    const m = treeRssMb(child.pid!);
    if (!m) return;
    current = m.rss;
    peak = Math.max(peak, m.rss, m.hwm);
    samples.push({ at: performance.now(), mb: m.rss });
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    base,
    pid: child.pid!,
    readyMs: readyAt - started,
    firstRequestMs: firstAt - readyAt,
    rssSamples: samples,
    peakRssMb: () => (sample(), peak),
    currentRssMb: () => (sample(), current),
    log: () => output,
    stop: async () => {
      clearInterval(timer);
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/** Signs in through Auth.js's credentials endpoint (as the login form does) and returns the Cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/` }),
  });
  keep(response);
  await response.arrayBuffer();
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${response.status} ${response.headers.get("location")})`);
  return header();
}

/** Time to the last byte of one request, and the body. */
export async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, body };
}
