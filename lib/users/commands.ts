import "server-only";
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { passwordResetTokens, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { appUrl } from "../app-url";
import { AppError } from "../errors";
import { sendMail } from "../mail/send";
import { hashPassword, verifyPassword } from "../auth/password";
import { isLoginLimited, recordLogin } from "../auth/rate-limit";
import { hashToken, newToken } from "../auth/tokens";
import { createWorkspace } from "../workspaces/commands";
import type { SignUpInput } from "./schema";

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
export const MAX_RESETS_PER_HOUR = 3;

type Workspace = Awaited<ReturnType<typeof createWorkspace>>;

export function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: sql`lower(${users.email}) = ${email.trim().toLowerCase()}` });
}

/**
 * Creates the user and, when a workspace name is given, their first workspace (as owner) in one transaction,
 * its pipeline and pick lists in `locale` (the language the sign-up page was shown in).
 * Without one (signing up from an invitation) the user has no workspace until they accept.
 */
export async function signUp(db: Db, input: SignUpInput & { workspaceName: string }, now: Date, locale?: string | null): Promise<{ user: typeof users.$inferSelect; workspace: Workspace }>;
export async function signUp(db: Db, input: SignUpInput, now: Date, locale?: string | null): Promise<{ user: typeof users.$inferSelect; workspace: Workspace | null }>;
export async function signUp(db: Db, input: SignUpInput, now: Date, locale?: string | null) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) {
      throw new AppError("CONFLICT", "errors.emailTaken", { email: ["errors.emailTaken"] });
    }
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash, createdAt: now })
      .returning();
    const workspace = "workspaceName" in input ? await createWorkspace(tx, user!.id, { name: input.workspaceName, locale }, now) : null;
    return { user: user!, workspace };
  });
}

let timingHashPromise: Promise<string> | undefined;
/** A throw-away argon2 hash to verify against when there is no real one. */
function timingHash(): Promise<string> {
  timingHashPromise ??= hashPassword(newToken().token).catch((error: unknown) => {
    timingHashPromise = undefined;
    throw error;
  });
  return timingHashPromise;
}

export type AuthResult = { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } } | { ok: false; reason: "invalid" | "rate_limited" };

/**
 * Checks a password sign-in, enforcing the per-account and per-IP failure limits before verifying
 * (so a locked account does not leak whether the password was right).
 */
export async function authenticate(db: Db, email: string, password: string, ip: string | null, now: Date): Promise<AuthResult> {
  if (await isLoginLimited(db, email, ip, now)) return { ok: false, reason: "rate_limited" };
  const user = await findUserByEmail(db, email);
  // Unknown accounts (and password-less OAuth ones) still pay for one argon2 verification, so the response
  // time does not reveal whether an account exists.
  const passwordHash = user?.passwordHash ?? null;
  const matches = await verifyPassword(passwordHash ?? (await timingHash()), password);
  const ok = matches && passwordHash !== null;
  await recordLogin(db, email, ip, ok, now);
  if (!ok || !user) return { ok: false, reason: "invalid" };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}

/** Emails a single-use reset link valid for an hour. Silent for unknown emails (no account enumeration). */
export async function requestPasswordReset(db: Db, email: string, now: Date): Promise<{ link?: string }> {
  const user = await findUserByEmail(db, email);
  if (!user) return {};
  // At most MAX_RESETS_PER_HOUR emails per account: the form cannot be used to flood a mailbox.
  const [recent] = await db
    .select({ n: count() })
    .from(passwordResetTokens)
    .where(and(eq(passwordResetTokens.userId, user.id), gt(passwordResetTokens.createdAt, new Date(now.getTime() - 3_600_000))));
  if ((recent?.n ?? 0) >= MAX_RESETS_PER_HOUR) return {};
  const { token, hash } = newToken();
  await db.insert(passwordResetTokens).values({
    userId: user.id,
    tokenHash: hash,
    expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
    createdAt: now,
  });
  const link = appUrl(`/reset-password/${token}`);
  // A mail server failure must not turn into an error page that only real accounts would see.
  await sendMail({
    to: user.email,
    subject: "Reset your Pipewise password / 重置您的 Pipewise 密码",
    text: `Open this link within an hour to choose a new password:\n${link}\n\n请在一小时内打开此链接设置新密码：\n${link}\n\nIf you did not ask for this, ignore this email.`,
  }).catch((error: unknown) => console.error("[pipewise] password reset email failed", error));
  return { link };
}

/**
 * Uses a reset token once: sets the password, revokes every existing session of the user and clears the
 * account's failed sign-in count.
 */
export async function resetPassword(db: Db, token: string, password: string, now: Date): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashToken(token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, now),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    if (!row) throw new AppError("VALIDATION", "errors.resetTokenInvalid");
    const [user] = await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, row.userId))
      .returning({ email: users.email });
    // Proving control of the mailbox lifts the account's sign-in lock ("wait 15 minutes or reset your password").
    await recordLogin(tx, user!.email, null, true, now);
  });
}

/**
 * Changes the password after checking the current one. Wrong current passwords count against the account's
 * sign-in limit (lib/auth/rate-limit.ts): an open session is no way round the lock on guessing it.
 */
export async function changePassword(db: Db, userId: string, current: string, next: string, now = new Date()): Promise<void> {
  const user = await db.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw new AppError("UNAUTHENTICATED");
  if (await isLoginLimited(db, user.email, null, now)) {
    throw new AppError("RATE_LIMITED", "errors.passwordRateLimited", { currentPassword: ["errors.passwordRateLimited"] });
  }
  if (!(await verifyPassword(user.passwordHash, current))) {
    await recordLogin(db, user.email, null, false, now);
    throw new AppError("VALIDATION", "errors.wrongPassword", { currentPassword: ["errors.wrongPassword"] });
  }
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
    // Knowing the current password ends the run of failures, as a sign-in does (and as a reset does).
    await recordLogin(tx, user.email, null, true, now);
  });
}

export async function updateProfile(
  db: Db,
  userId: string,
  input: { name: string; locale: "en" | "zh-CN" | null; timeZone: string },
): Promise<void> {
  await db.update(users).set(input).where(eq(users.id, userId));
}

/** Revokes every session of the user, this one included (the JWT carries the old version). */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
}
