import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { apiKeys, apiRateWindows, auditLog, memberships, stages } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/commands";
import { listApiKeys } from "@/lib/api-keys/queries";
import { hashApiToken } from "@/lib/api-keys/token";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { hitApiRateLimit } from "@/lib/api/rate-limit";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";
import { apiKeyFor, call } from "../helpers/api";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
});
afterAll(() => t.close());
afterEach(() => vi.unstubAllEnvs());

describe("API keys", () => {
  it("stores only the hash and a prefix, lists without the secret, records the creator, audits", async () => {
    const ctx = await a.ctx("admin");
    const { token, id } = await createApiKey(ctx, { name: "Zapier" });
    expect(token).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row).toMatchObject({ tokenHash: hashApiToken(token), prefix: token.slice(0, 11), createdBy: a.users.admin, createdByRole: "admin" });
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await listApiKeys(ctx);
    expect(listed.find((k) => k.id === id)).toMatchObject({ name: "Zapier", createdByRole: "admin", lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.action, "api_key.created")))).toHaveLength(1);
  });

  it("only owners and admins create and revoke keys; another workspace's key is not found", async () => {
    await expect(createApiKey(await a.ctx("manager"), { name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { id } = await createApiKey(await a.ctx("owner"), { name: "A's" });
    await expect(revokeApiKey(await b.ctx("owner"), id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row!.revokedAt).toBeNull();
  });

  it("a revoked key, or one whose creator left the workspace, answers 401; a demoted creator's key loses the rights", async () => {
    const { GET } = await import("@/app/api/v1/pipelines/route");
    const { POST } = await import("@/app/api/v1/pipelines/route");
    const revoked = await createApiKey(await a.ctx("owner", { now: new Date() }), { name: "soon revoked" });
    expect((await call(GET, "GET", "/pipelines", { key: revoked.token })).status).toBe(200);
    await revokeApiKey(await a.ctx("admin"), revoked.id);
    expect((await call(GET, "GET", "/pipelines", { key: revoked.token })).status).toBe(401);

    const demoted = await apiKeyFor(a, "admin", "demoted");
    expect((await call(POST, "POST", "/pipelines", { key: demoted, body: { name: "By admin" } })).status).toBe(201);
    await t.db.update(memberships).set({ role: "rep" }).where(and(eq(memberships.workspaceId, a.workspaceId), eq(memberships.userId, a.users.admin)));
    expect((await call(POST, "POST", "/pipelines", { key: demoted, body: { name: "By rep" } })).status).toBe(403);
    // nor may it write history any longer, though an admin created it
    const [stage] = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).limit(1);
    const { POST: createDeal } = await import("@/app/api/v1/deals/route");
    expect((await call(createDeal, "POST", "/deals", { key: demoted, body: { title: "Old", pipelineId: stage!.pipelineId, stageId: stage!.id, at: "2025-01-01T00:00:00Z" } })).status).toBe(403);
    await t.db.delete(memberships).where(and(eq(memberships.workspaceId, a.workspaceId), eq(memberships.userId, a.users.admin)));
    expect((await call(GET, "GET", "/pipelines", { key: demoted })).status).toBe(401);
    // added again later: the old key stays dead (removal ends a member's keys for good)
    await t.db.insert(memberships).values({ workspaceId: a.workspaceId, userId: a.users.admin, role: "admin", createdAt: new Date(Date.now() + 1000) });
    expect((await call(GET, "GET", "/pipelines", { key: demoted })).status).toBe(401);
  });

  it("GET /me names the workspace and the member the key acts as", async () => {
    const { GET } = await import("@/app/api/v1/me/route");
    const key = await apiKeyFor(a, "owner", "me");
    const me = await call(GET, "GET", "/me", { key });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ workspace: { id: a.workspaceId, slug: a.slug }, member: { id: a.users.owner, role: "owner" }, key: { name: "me", mayWriteHistory: true } });
    const repKey = await apiKeyFor(a, "rep", "rep me");
    expect((await call(GET, "GET", "/me", { key: repKey })).json).toMatchObject({ member: { id: a.users.rep, role: "rep" }, key: { mayWriteHistory: false } });
    expect((await call(GET, "GET", "/me", { key: null })).status).toBe(401);
  });

  it("records when a key was last used, at most once a minute", async () => {
    const { token, id } = await createApiKey(await b.ctx("owner"), { name: "used" });
    await authenticateApiKey(t.db, `Bearer ${token}`, NOW);
    await authenticateApiKey(t.db, `Bearer ${token}`, new Date(NOW.getTime() + 30_000));
    expect((await t.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!.lastUsedAt).toEqual(NOW);
    const later = new Date(NOW.getTime() + 61_000);
    await authenticateApiKey(t.db, `Bearer ${token}`, later);
    expect((await t.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!.lastUsedAt).toEqual(later);
    expect(await authenticateApiKey(t.db, `Bearer ${token}x`, later)).toBeNull();
    expect(await authenticateApiKey(t.db, token, later)).toBeNull();
  });
});

describe("per-key rate limit", () => {
  it("counts per key in one-minute windows and answers 429 with Retry-After past the limit", async () => {
    vi.stubEnv("API_RATE_LIMIT_PER_MINUTE", "3");
    const { GET } = await import("@/app/api/v1/pipelines/route");
    const key = await apiKeyFor(b, "owner", "limited");
    const other = await apiKeyFor(b, "admin", "other");
    for (let i = 0; i < 3; i++) {
      const ok = await call(GET, "GET", "/pipelines", { key });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("ratelimit-remaining")).toBe(String(2 - i));
    }
    const limited = await call(GET, "GET", "/pipelines", { key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await call(GET, "GET", "/pipelines", { key: other })).status).toBe(200); // another key has its own budget
  });

  it("starts afresh in the next window and keeps one row per key", async () => {
    const keyRow = await createApiKey(await b.ctx("owner"), { name: "windows" });
    const start = new Date("2026-03-10T09:00:10Z");
    expect((await hitApiRateLimit(t.db, keyRow!.id, start, 2)).ok).toBe(true);
    expect((await hitApiRateLimit(t.db, keyRow!.id, new Date("2026-03-10T09:00:20Z"), 2)).ok).toBe(true);
    expect(await hitApiRateLimit(t.db, keyRow!.id, new Date("2026-03-10T09:00:50Z"), 2)).toEqual({ ok: false, limit: 2, retryAfterSeconds: 10 });
    expect((await hitApiRateLimit(t.db, keyRow!.id, new Date("2026-03-10T09:01:00Z"), 2)).ok).toBe(true);
    expect(await t.db.select().from(apiRateWindows).where(eq(apiRateWindows.apiKeyId, keyRow!.id))).toHaveLength(1);
  });
});
