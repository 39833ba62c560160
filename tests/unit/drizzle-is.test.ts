import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Column, entityKind, is, Param, SQL, sql, StringChunk, Table } from "drizzle-orm";
import { PgColumn, PgDialect, PgTable } from "drizzle-orm/pg-core";
import { deals } from "@/db/schema";

// scripts/patch-drizzle.mjs (postinstall, decision 63): drizzle's is() remembers each class's entity kinds.
describe("drizzle's is(), as patched at install", () => {
  it("is installed in both of drizzle's module formats", () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve("drizzle-orm"));
    for (const file of ["entity.js", "entity.cjs"]) expect(fs.readFileSync(path.join(dir, file), "utf8")).toContain("pipewise: entity kinds remembered");
  });

  it("answers for drizzle's own classes as before", () => {
    expect(is(deals.id, Column)).toBe(true);
    expect(is(deals.id, PgColumn)).toBe(true);
    expect(is(deals, Table)).toBe(true);
    expect(is(deals, PgTable)).toBe(true);
    expect(is(sql`x`, SQL)).toBe(true);
    // misses, asked twice: the second answer comes from what the first remembered
    for (let round = 0; round < 2; round++) {
      expect(is(deals.id, SQL)).toBe(false);
      expect(is(deals, Column)).toBe(false);
      expect(is(new Param(1), StringChunk)).toBe(false);
      expect(is(sql`x`, Param)).toBe(false);
    }
  });

  it("recognises another copy's classes by their entity kind, through subclasses too", () => {
    // what a second copy of drizzle (another bundle) looks like: different classes, same kinds
    class OtherSQL {
      static readonly [entityKind] = "SQL";
    }
    class OtherSubclass extends OtherSQL {}
    class Unrelated {
      static readonly [entityKind] = "Unrelated";
    }
    expect(is(new OtherSQL(), SQL)).toBe(true);
    expect(is(new OtherSubclass(), SQL)).toBe(true);
    expect(is(new OtherSubclass(), Column)).toBe(false);
    expect(is(new Unrelated(), SQL)).toBe(false);
  });

  it("says no for plain values and objects without a prototype, and still refuses a non-entity class", () => {
    expect(is(null, SQL)).toBe(false);
    expect(is("text", SQL)).toBe(false);
    expect(is({}, SQL)).toBe(false);
    expect(is([], SQL)).toBe(false);
    expect(is(Object.create(null), SQL)).toBe(false);
    class NotAnEntity {}
    expect(() => is({}, NotAnEntity as never)).toThrow(/doesn't look like a Drizzle entity/);
  });

  it("builds the same SQL", () => {
    const query = new PgDialect({ casing: "snake_case" }).sqlToQuery(sql`select ${deals.id}, ${deals.title} from ${deals} where ${deals.value} > ${100} and ${deals.stageId} in ${["a", "b"]}`);
    expect(query).toEqual({ sql: 'select "deals"."id", "deals"."title" from "deals" where "deals"."value" > $1 and "deals"."stage_id" in ($2, $3)', params: [100, "a", "b"], typings: ["none", "none", "none"] });
  });
});
