/**
 * Every workspace server action, treated as the public POST endpoint it is: found on disk (each
 * every "use server" module under app/, each export taking (slug, prevState, input)), then called signed out, as a non-member,
 * and as a rep. New action files are picked up without touching this test.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { memberships, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import type { ActionState } from "@/lib/actions";
import type { SessionUser } from "@/lib/auth/session";
import { DEMO_SLUG } from "@/lib/demo";
import { createWorkspaceForUser, inviteMember } from "@/lib/workspaces/commands";
import { authorizeMember } from "@/lib/auth/membership";
import { seedDemoWorkspace } from "@/db/seed/demo-workspace";
import { loadMessages } from "@/lib/i18n/messages";
import { createTestDb, type TestDb } from "../helpers/db";

const state = vi.hoisted(() => ({
  db: undefined as unknown,
  user: null as null | SessionUser,
  revalidations: 0,
}));

vi.mock("@/db/client", () => ({
  getDb: async () => state.db,
  getHolder: async () => ({ db: state.db, kind: "pglite", close: async () => {} }),
  closeDb: async () => {},
  isEmbedded: () => true,
  pgliteDir: () => "/nonexistent",
}));

vi.mock("@/lib/auth/session", async () => {
  const { AppError } = await import("@/lib/errors");
  const { authorizeMember } = await import("@/lib/auth/membership");
  const requireUser = async () => {
    if (!state.user) throw new AppError("UNAUTHENTICATED");
    return state.user;
  };
  return {
    getCurrentUser: async () => state.user,
    // the fixtures' users keep session version 0 (nobody signed out everywhere)
    getSessionClaims: async () => (state.user ? { userId: state.user.id, sessionVersion: 0 } : null),
    requireUser,
    requireMember: async (slug: string, permission = "workspace.read") => {
      const user = await requireUser();
      return { ...(await authorizeMember(state.db as Db, user.id, slug, permission as never, new Date())), user };
    },
  };
});

// Auth.js itself is never reached (the session module is mocked); keep it from initialising.
vi.mock("@/lib/auth/auth", () => ({
  auth: async () => null,
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
  oauthProviders: [],
}));

// next-auth's ESM build imports "next/server" without an extension, which Node cannot resolve outside Next.js.
vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {
    code = "credentials";
  }
  return { default: vi.fn(), AuthError, CredentialsSignin };
});

vi.mock("next/cache", () => {
  const bump = () => {
    state.revalidations++;
  };
  return {
    revalidatePath: bump,
    revalidateTag: bump,
    updateTag: bump,
    refresh: bump,
    unstable_noStore: () => {},
    unstable_cache: <T>(fn: T) => fn,
    cacheTag: () => {},
    cacheLife: () => {},
  };
});

type WorkspaceAction = (slug: string, prev: ActionState | undefined, input: unknown) => Promise<ActionState>;
type Found = { file: string; name: string; action: WorkspaceAction };

const root = path.resolve(import.meta.dirname, "../..");
// Every server-action module under app/, whatever its name: a file whose first statement is "use server".
const actionFiles = (fs.readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" }) as string[])
  .filter((f) => f.endsWith(".ts"))
  .map((f) => path.join(root, "app", f))
  .filter((f) => /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(fs.readFileSync(f, "utf8")))
  .sort();

const found: Found[] = [];
for (const file of actionFiles) {
  const mod = (await import(file)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function" && value.length === 3) {
      found.push({ file: path.relative(root, file), name, action: value as WorkspaceAction });
    }
  }
}
const label = (a: Found) => `${a.file} ${a.name}`;

/** Actions that legitimately change data for a rep with no input (each with its reason). */
const okForRepWithEmptyInput = new Set(["leaveWorkspaceAction" /* leaving needs no permission beyond membership */]);
const settingsFile = path.join("app", "w", "[workspace]", "settings", "actions.ts");

const now = new Date("2026-03-10T09:00:00Z");
let t: TestDb;
let workspaceA: { id: string; slug: string };
let repA: SessionUser;
let outsider: SessionUser;
let workspaceB: { id: string; slug: string };
/** Input that would pass most actions' validation, pointing at A's records. */
let richInput: Record<string, unknown>;

const asSession = (u: { id: string; email: string; name: string; timeZone: string }) =>
  ({ id: u.id, email: u.email, name: u.name, locale: null, timeZone: u.timeZone }) as SessionUser;

async function tableNames(): Promise<string[]> {
  const result = await t.db.execute(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  return rows<{ name: string }>(result).map((r) => r.name);
}

async function columnsOf(table: string): Promise<Set<string>> {
  const result = await t.db.execute(
    sql`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = ${table}`,
  );
  return new Set(rows<{ name: string }>(result).map((r) => r.name));
}

/** Row count and a content checksum of every table: any insert, update or delete shows. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tableNames()) {
    const result = await t.db.execute(
      sql`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${sql.identifier(table)} x`,
    );
    const [row] = rows<{ n: number; h: string }>(result);
    out[table] = `${row!.n} rows ${row!.h}`;
  }
  return out;
}

/** The same, limited to workspace A's rows (tenant tables by workspace_id, plus A's row and A's members' user rows). */
async function snapshotOfA(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tableNames()) {
    const cols = await columnsOf(table);
    const where =
      table === "workspaces"
        ? sql`x.id = ${workspaceA.id}`
        : table === "users"
          ? sql`x.id in (select user_id from memberships where workspace_id = ${workspaceA.id})`
          : cols.has("workspace_id")
            ? sql`x.workspace_id = ${workspaceA.id}`
            : undefined;
    if (!where) continue;
    const result = await t.db.execute(
      sql`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${sql.identifier(table)} x where ${where}`,
    );
    const [row] = rows<{ n: number; h: string }>(result);
    out[table] = `${row!.n} rows ${row!.h}`;
  }
  return out;
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const singular = (table: string) => table.replace(/ies$/, "y").replace(/s$/, "");

async function buildRichInput(): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {
    name: "Taken over",
    title: "Taken over",
    email: "intruder@example.com",
    role: "owner",
    timeZone: "UTC",
    currency: "USD",
    dealVisibility: "all",
    probability: 50,
    rottingDays: 7,
    value: "1000",
    amount: "1000",
    status: "won",
    direction: "up",
    archived: "true",
    reason: "Price",
    note: "x",
    body: "x",
    userId: repA.id,
    ownerId: repA.id,
    assigneeId: repA.id,
  };
  // One id of A for every tenant table with an id: dealId, stageId, contactId, invitationId, …
  for (const table of await tableNames()) {
    const cols = await columnsOf(table);
    if (!cols.has("id") || !cols.has("workspace_id")) continue;
    const [row] = rows<{ id: string | number }>(
      await t.db.execute(sql`select id from ${sql.identifier(table)} where workspace_id = ${workspaceA.id} order by id limit 1`),
    );
    if (row) input[`${camel(singular(table))}Id`] = String(row.id);
  }
  if (input.stageId) input.toStageId = input.moveToStageId = input.stageId;
  return input;
}

async function newRepOfA(name: string): Promise<SessionUser> {
  const [user] = await t.db.insert(users).values({ email: `${name}@example.com`, name }).returning();
  await t.db.insert(memberships).values({ workspaceId: workspaceA.id, userId: user!.id, role: "rep", createdAt: now });
  return asSession(user!);
}

beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  vi.spyOn(console, "info").mockImplementation(() => {});
  await seedDemoWorkspace(t.db, now);
  const [a] = await t.db.select({ id: workspaces.id, slug: workspaces.slug }).from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
  workspaceA = a!;
  const [rep] = await t.db
    .select({ user: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceA.id), eq(memberships.role, "rep")))
    .limit(1);
  repA = asSession(rep!.user);
  const [owner] = await t.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceA.id), eq(memberships.role, "owner")));
  await inviteMember(await authorizeMember(t.db, owner!.userId, workspaceA.slug, "members.manage", now), { email: "pending@example.com", role: "admin" });

  // The outsider owns workspace B: an owner somewhere, a stranger to A.
  const [o] = await t.db.insert(users).values({ email: "outsider@example.com", name: "Outsider" }).returning();
  outsider = asSession(o!);
  const b = await createWorkspaceForUser(t.db, outsider.id, "Outsider Co", now);
  workspaceB = { id: b.id, slug: b.slug };
  richInput = await buildRichInput();
});
afterAll(() => t?.close());
beforeEach(() => {
  state.user = null;
  state.revalidations = 0;
});

describe("discovery", () => {
  it("finds the workspace actions of every server-action module, whatever its file name", () => {
    expect(actionFiles.length).toBeGreaterThan(0);
    expect(found.map((a) => a.name)).toEqual(expect.arrayContaining(["moveDealAction", "createDealAction", "markWonAction", "globalSearchAction"]));
    const settings = found.filter((a) => a.file === settingsFile).map((a) => a.name);
    expect(settings).toEqual(
      expect.arrayContaining([
        "updateWorkspaceAction",
        "inviteMemberAction",
        "revokeInvitationAction",
        "changeRoleAction",
        "removeMemberAction",
        "leaveWorkspaceAction",
      ]),
    );
    // Form actions (prevState, formData) are not workspace actions.
    expect(found.map((a) => a.name)).not.toContain("signInAction");
    expect(found.map((a) => a.name)).not.toContain("acceptInvitationAction");
  });

  it("builds an input that points at A's records", () => {
    expect(richInput).toMatchObject({ pipelineId: expect.any(String), stageId: expect.any(String), invitationId: expect.any(String) });
  });
});

describe.each(found.map((a) => [label(a), a] as const))("%s", (_label, { name, file, action }) => {
  it("refuses a signed-out caller with UNAUTHENTICATED and changes nothing", async () => {
    const before = await snapshot();
    state.user = null;
    for (const input of [{}, richInput, new FormData()]) {
      expect(await action(workspaceA.slug, undefined, input)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    }
    expect(await snapshot()).toEqual(before);
    expect(state.revalidations).toBe(0);
  });

  it("answers a non-member with NOT_FOUND, whatever the input, and changes nothing", async () => {
    const before = await snapshot();
    state.user = outsider;
    for (const input of [{}, richInput]) {
      expect(await action(workspaceA.slug, undefined, input)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    }
    expect(await action("no-such-workspace", undefined, richInput)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await snapshot()).toEqual(before);
    expect(state.revalidations).toBe(0);
  });

  it("does not reach A's records from the outsider's own workspace", async () => {
    const before = await snapshotOfA();
    state.user = outsider;
    // Whatever B's owner may legitimately do in B, A's rows stay as they were. (An unexpected error is a bug
    // of its own, reported by the action's domain tests; here only A's integrity is checked.)
    await action(workspaceB.slug, undefined, richInput).catch(() => undefined);
    expect(await snapshotOfA()).toEqual(before);
  });

  if (!okForRepWithEmptyInput.has(name)) {
    it("refuses a rep with an empty input (FORBIDDEN or VALIDATION), unless it only reads", async () => {
      const before = await snapshot();
      state.user = repA;
      const result = await action(workspaceA.slug, undefined, {});
      // A read (a picker search) may answer an empty query; anything else must be refused and write nothing.
      if (!result.ok) expect(result).toMatchObject({ code: expect.stringMatching(/^(FORBIDDEN|VALIDATION)$/) });
      if (file === settingsFile) expect(result).toMatchObject({ ok: false, code: "FORBIDDEN" });
      expect(await snapshot()).toEqual(before);
      if (result.ok) expect(state.revalidations, "a successful empty call revalidated, so it wrote something").toBe(0);
    });
  }
});

/** Values people and scripts send that no form would: huge, negative, NaN, long, hostile, wrongly typed. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "NaN",
    "Infinity",
    "-1",
    "-999999999999999999999",
    "1e308",
    "99999999999999999999.999",
    "0.0000001",
    "9999-12-31",
    "2026-02-30",
    "not-a-date",
    "'; drop table deals; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=cmd|' /C calc'!A0",
    "مرحبا 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩🏽‍💻 王芳",
    "\u0000null-byte\u0000",
    "00000000-0000-4000-8000-000000000000",
    "x".repeat(10_000),
  ),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 53, -(2 ** 31), 1e21, 0.5),
  fc.constantFrom(null, true, false, [], {}, ["a", "b"], { nested: { deep: ["<b>x</b>"] } }),
  fc.string({ maxLength: 300 }),
  fc.integer(),
);

const catalog = await loadMessages("en");
const hasMessage = (key: string) => typeof key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), catalog) === "string";

describe("hostile input (property-based, fast-check)", () => {
  const knownCodes = /^(VALIDATION|NOT_FOUND|FORBIDDEN|CONFLICT|RATE_LIMITED)$/;
  it.each(found.map((a) => [label(a), a] as const))("%s answers every hostile input with a clear error or a valid change, never a crash", async (_label, { action }) => {
    state.user = outsider; // the owner of B, acting in B: A is never touched
    const keys = Object.keys(richInput);
    const input = fc.oneof(
      fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 12 }),
      fc.anything({ maxDepth: 2 }),
    );
    const before = await snapshot();
    let changed = false;
    await fc.assert(
      fc.asyncProperty(input, async (raw) => {
        const result = await action(workspaceB.slug, undefined, raw);
        if (result.ok) {
          changed = true;
          return;
        }
        expect(result.code).toMatch(knownCodes);
        // Every message is a key of the catalog (the form shows its text), never a raw error.
        expect(hasMessage(result.message), result.message).toBe(true);
        for (const messages of Object.values(result.fieldErrors ?? {})) for (const m of messages) expect(hasMessage(m), m).toBe(true);
      }),
      { numRuns: 12, seed: 20261127 },
    );
    if (!changed) expect(await snapshot(), "every call was refused, so nothing may have changed").toEqual(before);
  });
});

describe("leaving", () => {
  it("lets a rep leave with an empty input, removing only their own membership", async () => {
    const leave = found.find((a) => a.file === settingsFile && a.name === "leaveWorkspaceAction");
    expect(leave).toBeDefined();
    const rep = await newRepOfA("leaving-rep");
    const members = async () =>
      (await t.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceA.id))).map((m) => m.userId).sort();
    const before = await members();
    state.user = rep;
    expect(await leave!.action(workspaceA.slug, undefined, {})).toMatchObject({ ok: true });
    expect(await members()).toEqual(before.filter((id) => id !== rep.id));
    expect(await leave!.action(workspaceA.slug, undefined, {})).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});
