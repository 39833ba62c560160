import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { jobs } from "@/db/schema";
import { createTestDb, type TestDb } from "../helpers/db";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
});
afterAll(() => t.close());
afterEach(() => vi.unstubAllEnvs());

const call = async (method: "GET" | "POST", authorization?: string) => {
  const route = await import("@/app/api/cron/tick/route");
  const request = new NextRequest("http://localhost/api/cron/tick", { method, headers: authorization ? { authorization } : {} });
  return route[method](request);
};

describe("POST /api/cron/tick", () => {
  it("refuses every call while CRON_SECRET is unset in production", async () => {
    vi.stubEnv("CRON_SECRET", "");
    vi.stubEnv("NODE_ENV", "production");
    const response = await call("POST", "Bearer anything");
    expect(response.status).toBe(503);
  });

  it("answers 401 without or with a wrong bearer, and runs nothing", async () => {
    vi.stubEnv("CRON_SECRET", "tick-secret");
    const [job] = await t.db.insert(jobs).values({ kind: "prune-jobs", runAt: new Date(Date.now() - 1000) }).returning();
    for (const header of [undefined, "Bearer nope", "tick-secret"]) {
      const response = await call("POST", header);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
    }
    expect((await t.db.select().from(jobs).where(eq(jobs.id, job!.id)))[0]!.doneAt).toBeNull();
  });

  it("runs the due jobs with the right secret, by POST or by GET (Vercel cron)", async () => {
    vi.stubEnv("CRON_SECRET", "tick-secret");
    const [job] = await t.db.insert(jobs).values({ kind: "prune-jobs", runAt: new Date(Date.now() - 1000) }).returning();
    const response = await call("POST", "Bearer tick-secret");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; done: number };
    expect(body.ok).toBe(true);
    expect(body.done).toBeGreaterThanOrEqual(1);
    expect((await t.db.select().from(jobs).where(eq(jobs.id, job!.id)))[0]!.doneAt).not.toBeNull();
    expect((await call("GET", "Bearer tick-secret")).status).toBe(200);
  });
});
