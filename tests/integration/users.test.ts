import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import {
  auditLog,
  memberships,
  passwordResetTokens,
  pipelines,
  revokedSessions,
  stages,
  users,
  workspaceOptions,
  workspaces,
} from "@/db/schema";
import { AppError } from "@/lib/errors";
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from "@/lib/auth/rate-limit";
import { authorizeSession } from "@/lib/auth/membership";
import { revokeSession } from "@/lib/auth/revocation";
import {
  authenticate,
  changePassword,
  requestPasswordReset,
  resetPassword,
  RESET_TOKEN_TTL_MS,
  signOutEverywhere,
  signUp,
} from "@/lib/users/commands";
import { defaultStages, workspaceDefaults } from "@/lib/pipelines/defaults";
import { createTestDb, type TestDb } from "../helpers/db";
import { startSmtp } from "../helpers/smtp";

const now = new Date("2026-03-10T09:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const SECOND = 1000;
const MINUTE = 60 * SECOND;


const bytes = (encoded: string) => Buffer.from(encoded.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1");

/** Minimal MIME reading for a single-part message: decoded headers (RFC 2047 words) and the decoded text body. */
function readMail(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const decodeWords = (value: string) =>
    value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=\s*)+/g, (run) =>
      Buffer.concat(
        [...run.matchAll(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g)].map(([, enc, data]) =>
          enc!.toUpperCase() === "B" ? Buffer.from(data!, "base64") : bytes(data!.replace(/_/g, " ")),
        ),
      ).toString("utf8"),
    );
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const i = line.indexOf(":");
    headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const text =
    encoding === "base64"
      ? Buffer.from(body, "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? bytes(body.replace(/=\r?\n/g, "")).toString("utf8")
        : body;
  return { headers, text };
}

let t: TestDb;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const savedEnv = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };

beforeAll(async () => {
  t = await createTestDb();
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.APP_URL = "https://crm.example.test";
});
afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await smtp?.close();
  await t?.close();
});

async function expectAppError(promise: Promise<unknown>, code: string, message?: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}

let seq = 0;
/** A signed-up user with a unique email (each test gets its own account, so rate-limit rows do not mix). */
async function newUser(password = "correct horse battery") {
  const email = `user${++seq}@example.com`;
  const { user, workspace } = await signUp(t.db, { name: `User ${seq}`, email, password, workspaceName: `Team ${seq}` }, now);
  return { user, workspace, email, password };
}

async function sessionVersion(userId: string) {
  const [row] = await t.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row!.v;
}

describe("signUp", () => {
  it("writes the new workspace's pipeline, stages and pick lists in the language of the sign-up page", async () => {
    const { workspace } = await signUp(t.db, { name: "王芳", email: "wang.fang@example.cn", password: "s3cret-password", workspaceName: "星河销售" }, now, "zh-CN");
    const [pipeline] = await t.db.select().from(pipelines).where(eq(pipelines.workspaceId, workspace.id));
    expect(pipeline!.name).toBe("销售管道");
    const wsStages = await t.db.select().from(stages).where(eq(stages.workspaceId, workspace.id)).orderBy(stages.position);
    expect(wsStages.map((s) => [s.name, s.probability, s.rottingDays])).toEqual(workspaceDefaults["zh-CN"].stages.map((s) => [s.name, s.probability, s.rottingDays]));
    const options = await t.db.select().from(workspaceOptions).where(eq(workspaceOptions.workspaceId, workspace.id)).orderBy(workspaceOptions.kind, workspaceOptions.position);
    expect(options.filter((o) => o.kind === "lost_reason").map((o) => o.label)).toEqual(workspaceDefaults["zh-CN"].lostReasons);
    expect(options.filter((o) => o.kind === "deal_source").map((o) => o.label)).toEqual(workspaceDefaults["zh-CN"].dealSources);
  });

  it("creates the user, a workspace they own and its default pipeline", async () => {
    const { user, workspace } = await signUp(
      t.db,
      { name: "Ann Lee", email: "ann@example.com", password: "s3cret-password", workspaceName: "Acme Sales" },
      now,
    );
    expect(user).toMatchObject({ email: "ann@example.com", name: "Ann Lee", sessionVersion: 0 });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("s3cret-password");
    expect(workspace).toMatchObject({ name: "Acme Sales", slug: "acme-sales", timeZone: "UTC", currency: "USD" });

    const members = await t.db.select().from(memberships).where(eq(memberships.workspaceId, workspace.id));
    expect(members).toEqual([expect.objectContaining({ userId: user.id, role: "owner" })]);

    const wsPipelines = await t.db.select().from(pipelines).where(eq(pipelines.workspaceId, workspace.id));
    expect(wsPipelines).toHaveLength(1);
    const wsStages = await t.db
      .select({ name: stages.name, probability: stages.probability, pipelineId: stages.pipelineId })
      .from(stages)
      .where(eq(stages.workspaceId, workspace.id))
      .orderBy(stages.position);
    expect(wsStages.map((s) => s.name)).toEqual(defaultStages.map((s) => s.name));
    expect(new Set(wsStages.map((s) => s.pipelineId))).toEqual(new Set([wsPipelines[0]!.id]));

    const options = await t.db.select().from(workspaceOptions).where(eq(workspaceOptions.workspaceId, workspace.id));
    expect(options.some((o) => o.kind === "deal_source")).toBe(true);
    expect(options.some((o) => o.kind === "lost_reason")).toBe(true);

    const log = await t.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspace.id));
    expect(log).toEqual([expect.objectContaining({ action: "workspace.created", actorId: user.id })]);
  });

  it("gives a second workspace with the same name its own slug", async () => {
    const first = await newUser();
    const { workspace } = await signUp(
      t.db,
      { name: "Other", email: "other-acme@example.com", password: "s3cret-password", workspaceName: first.workspace.name },
      now,
    );
    expect(workspace.slug).not.toBe(first.workspace.slug);
    expect(workspace.slug).toBe(`${first.workspace.slug}-2`);
  });

  it("refuses an email that is already taken, whatever its case, and leaves nothing behind", async () => {
    const { email } = await newUser();
    const [before] = await t.db.select({ users: sql<number>`count(*)::int` }).from(users);
    const [wsBefore] = await t.db.select({ n: sql<number>`count(*)::int` }).from(workspaces);
    const error = await expectAppError(
      signUp(t.db, { name: "Impostor", email: email.toUpperCase(), password: "another-password", workspaceName: "Evil" }, now),
      "CONFLICT",
      "errors.emailTaken",
    );
    expect(error.fieldErrors).toEqual({ email: ["errors.emailTaken"] });
    const [after] = await t.db.select({ users: sql<number>`count(*)::int` }).from(users);
    const [wsAfter] = await t.db.select({ n: sql<number>`count(*)::int` }).from(workspaces);
    expect(after!.users).toBe(before!.users);
    expect(wsAfter!.n).toBe(wsBefore!.n);
  });
});

describe("authenticate", () => {
  it("accepts the right password and returns the session version", async () => {
    const { user, email, password } = await newUser();
    const result = await authenticate(t.db, email, password, "10.0.0.1", now);
    expect(result).toEqual({ ok: true, user: { id: user.id, email, name: user.name, sessionVersion: 0 } });
  });

  it("matches the email case-insensitively", async () => {
    const { user, email, password } = await newUser();
    const result = await authenticate(t.db, ` ${email.toUpperCase()} `, password, null, now);
    expect(result.ok && result.user.id).toBe(user.id);
  });

  it("refuses a wrong password and an unknown account alike", async () => {
    const { email } = await newUser();
    expect(await authenticate(t.db, email, "wrong password", "10.0.0.2", now)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, "nobody@example.com", "whatever", "10.0.0.2", now)).toEqual({ ok: false, reason: "invalid" });
  });

  it("takes about as long for an unknown account as for a wrong password (no account enumeration by timing)", async () => {
    const { email } = await newUser();
    await authenticate(t.db, "warm-up@example.com", "x", null, now);
    const median = async (login: string) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await authenticate(t.db, login, `wrong ${i}`, null, at(i * SECOND));
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[1]!;
    };
    const known = await median(email);
    const unknown = await median("no-such-user@example.com");
    // argon2 dominates a known account's check; without a dummy verification the unknown one is several times faster.
    expect(unknown).toBeGreaterThan(known * 0.4);
  });

  it("refuses an account that has no password (OAuth-only)", async () => {
    await t.db.insert(users).values({ email: "oauth-only@example.com", name: "OAuth" });
    expect(await authenticate(t.db, "oauth-only@example.com", "", null, now)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, "oauth-only@example.com", "anything", null, now)).toEqual({ ok: false, reason: "invalid" });
  });

  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures in 15 minutes, even for the right password, until the window passes`, async () => {
    const { email, password } = await newUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // Different addresses: only the per-account limit is in play.
      expect(await authenticate(t.db, email, `wrong ${i}`, `10.1.0.${i}`, at(i * MINUTE))).toEqual({ ok: false, reason: "invalid" });
    }
    const lastFailure = (MAX_FAILURES_PER_ACCOUNT - 1) * MINUTE;
    expect(await authenticate(t.db, email, password, "10.1.1.1", at(lastFailure + SECOND))).toEqual({ ok: false, reason: "rate_limited" });
    expect(await authenticate(t.db, email.toUpperCase(), password, null, at(lastFailure + 10 * MINUTE))).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    // The first failure has left the window: four remain, under the limit.
    expect((await authenticate(t.db, email, password, "10.1.1.1", at(LOGIN_WINDOW_MS + SECOND))).ok).toBe(true);
  });

  it("opens a locked account again once all its failures are older than the window", async () => {
    const { email, password } = await newUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await authenticate(t.db, email, "wrong", null, at(i * SECOND));
    expect((await authenticate(t.db, email, password, null, at(5 * SECOND))).ok).toBe(false);
    expect((await authenticate(t.db, email, password, null, at(5 * SECOND + LOGIN_WINDOW_MS))).ok).toBe(true);
  });

  it("allows the right password after fewer failures than the limit", async () => {
    const { email, password } = await newUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) await authenticate(t.db, email, "wrong", null, at(i * SECOND));
    expect((await authenticate(t.db, email, password, null, at(10 * SECOND))).ok).toBe(true);
  });

  it("resets the account's failure count after a successful sign-in", async () => {
    const { email, password } = await newUser();
    let s = 0;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) await authenticate(t.db, email, "wrong", null, at(++s * SECOND));
    expect((await authenticate(t.db, email, password, null, at(++s * SECOND))).ok).toBe(true);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) await authenticate(t.db, email, "wrong", null, at(++s * SECOND));
    // 8 failures in the window, but only 4 since the success.
    expect((await authenticate(t.db, email, password, null, at(++s * SECOND))).ok).toBe(true);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await authenticate(t.db, email, "wrong", null, at(++s * SECOND));
    expect(await authenticate(t.db, email, password, null, at(++s * SECOND))).toEqual({ ok: false, reason: "rate_limited" });
  });

  it(`blocks an address after ${MAX_FAILURES_PER_IP} failures across accounts, and only that address`, async () => {
    const ip = "203.0.113.7";
    const { email, password } = await newUser();
    // Spread over many accounts so no single account reaches its own limit.
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      await authenticate(t.db, `spray${i % 10}@example.com`, "guess", ip, at(i * SECOND));
    }
    expect(await authenticate(t.db, email, password, ip, at(MAX_FAILURES_PER_IP * SECOND))).toEqual({ ok: false, reason: "rate_limited" });
    expect((await authenticate(t.db, email, password, "203.0.113.8", at(MAX_FAILURES_PER_IP * SECOND))).ok).toBe(true);
    expect((await authenticate(t.db, email, password, null, at(MAX_FAILURES_PER_IP * SECOND))).ok).toBe(true);
    // A success of one account does not clear the address's count.
    expect((await authenticate(t.db, email, password, ip, at(MAX_FAILURES_PER_IP * SECOND + SECOND))).ok).toBe(false);
    expect((await authenticate(t.db, email, password, ip, at(LOGIN_WINDOW_MS + MAX_FAILURES_PER_IP * SECOND))).ok).toBe(true);
  });
});

describe("password reset", () => {
  it("emails a working reset link over SMTP, and the token works once", async () => {
    const { user, email, password } = await newUser();
    const before = smtp.received.length;
    const { link } = await requestPasswordReset(t.db, email.toUpperCase(), now);

    expect(smtp.received).toHaveLength(before + 1);
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual([email]);
    const { headers, text } = readMail(mail.raw);
    expect(headers.get("to")).toContain(email);
    expect(headers.get("subject")).toContain("Reset your Pipewise password");
    expect(headers.get("subject")).toContain("重置您的 Pipewise 密码");
    const linkInMail = /https:\/\/crm\.example\.test\/reset-password\/([A-Za-z0-9_-]+)/.exec(text);
    expect(linkInMail, text).not.toBeNull();
    expect(linkInMail![0]).toBe(link);
    const token = linkInMail![1]!;
    expect(token.length).toBeGreaterThanOrEqual(40);

    // Only the token's hash is stored.
    const stored = await t.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);
    expect(stored[0]!.expiresAt).toEqual(at(RESET_TOKEN_TTL_MS));

    await resetPassword(t.db, token, "brand new password", at(10 * MINUTE));
    expect((await authenticate(t.db, email, "brand new password", null, at(11 * MINUTE))).ok).toBe(true);
    expect((await authenticate(t.db, email, password, null, at(12 * MINUTE))).ok).toBe(false);

    await expectAppError(resetPassword(t.db, token, "third password!", at(13 * MINUTE)), "VALIDATION", "errors.resetTokenInvalid");
    expect((await authenticate(t.db, email, "brand new password", null, at(14 * MINUTE))).ok).toBe(true);
  });

  it("bumps the session version so every existing session ends", async () => {
    const { user, email } = await newUser();
    const { link } = await requestPasswordReset(t.db, email, now);
    const token = link!.split("/").at(-1)!;
    const before = await sessionVersion(user.id);
    await resetPassword(t.db, token, "brand new password", at(MINUTE));
    expect(await sessionVersion(user.id)).toBe(before + 1);
  });

  it("refuses an expired token and keeps the old password", async () => {
    const { user, email, password } = await newUser();
    const { link } = await requestPasswordReset(t.db, email, now);
    const token = link!.split("/").at(-1)!;
    await expectAppError(resetPassword(t.db, token, "too late password", at(2 * 60 * MINUTE)), "VALIDATION", "errors.resetTokenInvalid");
    await expectAppError(resetPassword(t.db, token, "too late password", at(RESET_TOKEN_TTL_MS)), "VALIDATION");
    expect(await sessionVersion(user.id)).toBe(0);
    expect((await authenticate(t.db, email, password, null, at(3 * 60 * MINUTE))).ok).toBe(true);
  });

  it("lifts the account's sign-in lock, as the rate-limit message promises", async () => {
    const { email } = await newUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await authenticate(t.db, email, "wrong", null, at(i * SECOND));
    expect((await authenticate(t.db, email, "anything", null, at(MINUTE))).ok).toBe(false);
    const { link } = await requestPasswordReset(t.db, email, at(MINUTE));
    await resetPassword(t.db, link!.split("/").at(-1)!, "brand new password", at(2 * MINUTE));
    expect((await authenticate(t.db, email, "brand new password", null, at(3 * MINUTE))).ok).toBe(true);
  });

  it("refuses a made-up token", async () => {
    await expectAppError(resetPassword(t.db, "not-a-real-token-at-all", "whatever password", now), "VALIDATION", "errors.resetTokenInvalid");
  });

  it("sends nothing and reveals nothing for an unknown email", async () => {
    const before = smtp.received.length;
    expect(await requestPasswordReset(t.db, "ghost@example.com", now)).toEqual({});
    // A later real request is the next message: nothing was sent for the ghost.
    const { email } = await newUser();
    await requestPasswordReset(t.db, email, now);
    expect(smtp.received).toHaveLength(before + 1);
    expect(smtp.received.at(-1)!.to).toEqual([email]);
  });
});

describe("changePassword and signOutEverywhere", () => {
  it("changes the password with the right current one and ends every session", async () => {
    const { user, email, password } = await newUser();
    await changePassword(t.db, user.id, password, "a different password");
    expect(await sessionVersion(user.id)).toBe(1);
    expect((await authenticate(t.db, email, "a different password", null, now)).ok).toBe(true);
    expect((await authenticate(t.db, email, password, null, at(SECOND))).ok).toBe(false);
  });

  it("refuses a wrong current password and changes nothing", async () => {
    const { user, email, password } = await newUser();
    const error = await expectAppError(changePassword(t.db, user.id, "not my password", "a different password"), "VALIDATION", "errors.wrongPassword");
    expect(error.fieldErrors).toEqual({ currentPassword: ["errors.wrongPassword"] });
    expect(await sessionVersion(user.id)).toBe(0);
    expect((await authenticate(t.db, email, password, null, now)).ok).toBe(true);
  });

  it("counts wrong current passwords against the account's sign-in limit: an open session is no way round it", async () => {
    const { user, email, password } = await newUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await expectAppError(changePassword(t.db, user.id, `guess ${i}`, "a different password", at(i * SECOND)), "VALIDATION", "errors.wrongPassword");
    }
    const limited = await expectAppError(changePassword(t.db, user.id, password, "a different password", at(10 * SECOND)), "RATE_LIMITED", "errors.passwordRateLimited");
    expect(limited.fieldErrors).toEqual({ currentPassword: ["errors.passwordRateLimited"] });
    expect(await authenticate(t.db, email, password, null, at(11 * SECOND))).toEqual({ ok: false, reason: "rate_limited" });
    expect(await sessionVersion(user.id)).toBe(0);
    // The window passes: the right password changes it, and ends the run of failures.
    await changePassword(t.db, user.id, password, "a different password", at(LOGIN_WINDOW_MS + 10 * SECOND));
    expect(await sessionVersion(user.id)).toBe(1);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) await authenticate(t.db, email, `typo ${i}`, null, at(LOGIN_WINDOW_MS + (11 + i) * SECOND));
    expect((await authenticate(t.db, email, "a different password", null, at(LOGIN_WINDOW_MS + 20 * SECOND))).ok).toBe(true);
  });

  it("signs out everywhere by bumping the session version, once per call", async () => {
    const { user } = await newUser();
    const other = await newUser();
    await signOutEverywhere(t.db, user.id);
    expect(await sessionVersion(user.id)).toBe(1);
    await signOutEverywhere(t.db, user.id);
    expect(await sessionVersion(user.id)).toBe(2);
    expect(await sessionVersion(other.user.id)).toBe(0);
  });

  it("returns the bumped version on the next sign-in", async () => {
    const { user, email, password } = await newUser();
    await signOutEverywhere(t.db, user.id);
    const result = await authenticate(t.db, email, password, null, now);
    expect(result.ok && result.user.sessionVersion).toBe(1);
  });
});

describe("signing one session out (revokeSession)", () => {
  const session = (userId: string, sessionId: string | null, expiresAt = at(60 * 60 * SECOND)) => ({ userId, sessionVersion: 0, sessionId, expiresAt });

  it("refuses that session on the next request, keeps the user's other sessions, and leaves other users alone", async () => {
    const { user, workspace } = await newUser();
    const other = await newUser();
    const slug = workspace.slug;
    // Before: both of the user's sessions and the other user's are let in.
    for (const s of [session(user.id, "phone"), session(user.id, "laptop")]) expect((await authorizeSession(t.db, s, slug, "workspace.read", now)).userId).toBe(user.id);
    await revokeSession(t.db, session(user.id, "phone"), now);
    await expectAppError(authorizeSession(t.db, session(user.id, "phone"), slug, "workspace.read", now), "UNAUTHENTICATED");
    expect((await authorizeSession(t.db, session(user.id, "laptop"), slug, "workspace.read", now)).userId).toBe(user.id);
    expect((await authorizeSession(t.db, session(other.user.id, "phone-of-other"), other.workspace.slug, "workspace.read", now)).userId).toBe(other.user.id);
    expect(await sessionVersion(user.id)).toBe(0); // one session, not all of them
    await revokeSession(t.db, session(user.id, "phone"), now); // twice: no error, one row
    const rows = await t.db.select().from(revokedSessions).where(eq(revokedSessions.sid, "phone"));
    expect(rows).toHaveLength(1);
  });

  it("revokes every session of the user when the cookie predates session ids", async () => {
    const { user, workspace } = await newUser();
    await revokeSession(t.db, session(user.id, null), now);
    expect(await sessionVersion(user.id)).toBe(1);
    await expectAppError(authorizeSession(t.db, session(user.id, "laptop"), workspace.slug, "workspace.read", now), "UNAUTHENTICATED");
  });

  it("drops the rows of cookies that have expired anyway", async () => {
    const { user } = await newUser();
    await revokeSession(t.db, session(user.id, "old", at(-10 * 60 * SECOND)), now);
    await revokeSession(t.db, session(user.id, "new"), now);
    const left = (await t.db.select({ sid: revokedSessions.sid }).from(revokedSessions).where(eq(revokedSessions.userId, user.id))).map((r) => r.sid);
    expect(left).toEqual(["new"]);
  });
});

describe("signing up from an invitation", () => {
  it("creates the user without a workspace of their own", async () => {
    const { user, workspace } = await signUp(t.db, { name: "Invitee", email: "invitee-only@example.com", password: "long-enough-pw" }, now);
    expect(workspace).toBeNull();
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, user.id))).toEqual([]);
  });
});
