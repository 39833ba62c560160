import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { users, workspaceOptions, workspaces } from "@/db/schema";
import { applyMigrations, rows } from "@/db/migrate";
import { createTestDb, type TestDb } from "../helpers/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe("database", () => {
  it("starts migrated and empty", async () => {
    expect(await t.db.select().from(users)).toEqual([]);
  });

  it("re-applying migrations is a no-op", async () => {
    const before = rows<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    await applyMigrations(t.db);
    const after = rows<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(after[0]!.n).toBeGreaterThan(0);
  });

  it("treats emails case-insensitively unique", async () => {
    await t.db.insert(users).values({ email: "Ann@Example.com", name: "Ann" });
    await expect(t.db.insert(users).values({ email: "ann@example.com", name: "Ann 2" })).rejects.toThrow();
  });

  it("keeps pick-list labels unique per workspace and kind, ignoring case, even for concurrent inserts", async () => {
    const [ws] = await t.db.insert(workspaces).values({ slug: "labels", name: "Labels" }).returning();
    await t.db.insert(workspaceOptions).values({ workspaceId: ws!.id, kind: "lost_reason", label: "Price" });
    await expect(t.db.insert(workspaceOptions).values({ workspaceId: ws!.id, kind: "lost_reason", label: "price" })).rejects.toThrow();
    await t.db.insert(workspaceOptions).values({ workspaceId: ws!.id, kind: "deal_source", label: "price" });
  });

  // decision 62: PostgreSQL parses and plans each query once per pooled connection, not on every call
  it.skipIf(!process.env.DATABASE_URL)("keeps the app's statements prepared on their connection and runs them again with new parameters (PostgreSQL)", async () => {
    const prepared = await t.db.transaction(async (tx) => {
      // one connection: the transaction's; the same query twice with different values
      for (const email of ["ann@example.com", "nobody@example.com"]) await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
      return rows<{ statement: string; calls: number }>(
        await tx.execute(sql`select statement, generic_plans + custom_plans as calls from pg_prepared_statements where statement like '%lower("users"."email")%'`),
      );
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.statement).toContain("$1");
    expect(Number(prepared[0]!.calls)).toBe(2);
  });
});
