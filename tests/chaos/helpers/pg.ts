import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/*
 * A throw-away PostgreSQL 15 cluster for one chaos test file, started the way .ci/run starts its own: initdb
 * with trust auth into a temp dir (owned by the postgres user when we run as root), loopback only, no fsync
 * (the machine does not crash, only the server does) but synchronous commit kept: a commit the server
 * acknowledged must survive its crash, which the restart test checks. restart() kills the server hard (immediate mode: no shutdown
 * checkpoint, every connection dropped) and starts it again on the same port.
 */

export function findPgBin(): string | null {
  const candidates = ["/usr/lib/postgresql/15/bin"];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    /* no pg_config */
  }
  return candidates.find((d) => d && fs.existsSync(path.join(d, "initdb")) && fs.existsSync(path.join(d, "pg_ctl"))) ?? null;
}

export const PG_MISSING = "no PostgreSQL binaries (initdb/pg_ctl in /usr/lib/postgresql/15/bin or pg_config --bindir): install postgresql-15 to run this fault test";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export type ThrowawayPg = { url: string; restart: (downMs?: number) => Promise<void>; stop: () => Promise<void> };

export async function startThrowawayPg(bin: string): Promise<ThrowawayPg> {
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-chaos-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const as = (cmd: string, args: string[]) => {
    const r = root ? spawnSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { encoding: "utf8" }) : spawnSync(path.join(bin, cmd), args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}${r.stdout}${fs.existsSync(path.join(dir, "server.log")) ? fs.readFileSync(path.join(dir, "server.log"), "utf8").slice(-2000) : ""}`);
    return r.stdout;
  };
  if (root) execFileSync("chown", ["postgres:postgres", dir]);
  as("initdb", ["-D", data, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-U", "postgres"]);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const start = () => as("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start", "-o", opts]);
  start();
  as("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "pipewise"]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/pipewise`,
    restart: async (downMs = 500) => {
      as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      await new Promise((r) => setTimeout(r, downMs));
      start();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
