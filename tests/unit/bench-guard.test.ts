import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { benchEnabled, benchGuard } from "@/app/api/bench/_lib/guard";

// A bench route must refuse before it reads a session or touches the database.
vi.mock("@/lib/auth/route", () => ({ authorizeRoute: async () => Promise.reject(new Error("authorized before the bench guard")) }));
vi.mock("@/db/client", () => ({ getDb: async () => Promise.reject(new Error("database used before the bench guard")) }));

const secret = "bench-secret-0123456789";
const call = (authorization?: string) => new Request("http://localhost/api/bench/trace", { method: "POST", headers: authorization ? { authorization } : {} });

describe("bench-only routes", () => {
  it("do not exist unless the server runs with PIPEWISE_BENCH=1 and a long enough secret", () => {
    expect(benchEnabled({})).toBe(false);
    expect(benchEnabled({ PIPEWISE_BENCH: "1" })).toBe(false);
    expect(benchEnabled({ PIPEWISE_BENCH: "1", PIPEWISE_BENCH_SECRET: "short" })).toBe(false);
    expect(benchEnabled({ PIPEWISE_BENCH: "0", PIPEWISE_BENCH_SECRET: secret })).toBe(false);
    expect(benchGuard(call(`Bearer ${secret}`), { PIPEWISE_BENCH_SECRET: secret })?.status).toBe(404);
  });

  it("refuse a call without the bearer secret, or with another one", () => {
    const env = { PIPEWISE_BENCH: "1", PIPEWISE_BENCH_SECRET: secret };
    expect(benchGuard(call(), env)?.status).toBe(401);
    expect(benchGuard(call("Bearer bench-secret-0123456780"), env)?.status).toBe(401);
    expect(benchGuard(call(secret), env)?.status).toBe(401);
    expect(benchGuard(call(`Bearer ${secret}`), env)).toBeNull();
  });

  describe("every route under app/api/bench (found on disk) is guarded", () => {
    const dir = path.resolve(import.meta.dirname, "../../app/api/bench");
    const files = (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).filter((f) => /(^|[\\/])route\.ts$/.test(f)).sort();
    const saved = { on: process.env.PIPEWISE_BENCH, secret: process.env.PIPEWISE_BENCH_SECRET };
    afterEach(() => {
      for (const [k, v] of [["PIPEWISE_BENCH", saved.on], ["PIPEWISE_BENCH_SECRET", saved.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it("finds the routes", () => expect(files).toEqual(expect.arrayContaining(["check/route.ts", "memory/route.ts", "move/route.ts", "replay/route.ts", "trace/route.ts"])));

    it.each(files)("%s: 404 when bench mode is off, 401 without the secret when it is on", async (file) => {
      const mod = (await import(path.join(dir, file))) as Record<string, (request: Request) => Promise<Response>>;
      const handlers = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => typeof mod[m] === "function");
      expect(handlers.length).toBeGreaterThan(0);
      for (const method of handlers) {
        delete process.env.PIPEWISE_BENCH;
        process.env.PIPEWISE_BENCH_SECRET = secret;
        const request = () => new Request(`http://localhost/api/bench/${file}?gc=1`, { method, headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
        expect((await mod[method]!(request())).status).toBe(404);
        process.env.PIPEWISE_BENCH = "1";
        const anonymous = new Request(`http://localhost/api/bench/${file}?gc=1`, { method, body: method === "GET" ? undefined : "{}" });
        expect((await mod[method]!(anonymous)).status).toBe(401);
      }
    });
  });

  it("the memory route reports the process's memory, after full collections when asked and available", async () => {
    const { POST } = await import("@/app/api/bench/memory/route");
    const env = { on: process.env.PIPEWISE_BENCH, secret: process.env.PIPEWISE_BENCH_SECRET };
    process.env.PIPEWISE_BENCH = "1";
    process.env.PIPEWISE_BENCH_SECRET = secret;
    try {
      const response = await POST(new Request("http://localhost/api/bench/memory?gc=1", { method: "POST", headers: { authorization: `Bearer ${secret}` } }));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { collected: boolean; rssMb: number; heapUsedMb: number };
      expect(body.collected).toBe(typeof (globalThis as { gc?: unknown }).gc === "function");
      expect(body.heapUsedMb).toBeGreaterThan(1);
      expect(body.rssMb).toBeGreaterThan(body.heapUsedMb);
    } finally {
      if (env.on === undefined) delete process.env.PIPEWISE_BENCH;
      else process.env.PIPEWISE_BENCH = env.on;
      if (env.secret === undefined) delete process.env.PIPEWISE_BENCH_SECRET;
      else process.env.PIPEWISE_BENCH_SECRET = env.secret;
    }
  });
});
