import "server-only";
import { and, eq } from "drizzle-orm";
import { companies, memberships } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";

/**
 * Checks for ids that arrive from the client inside a payload (company, owner): each is looked up together
 * with the caller's workspace id, so another workspace's id is indistinguishable from a made-up one. Run them
 * inside the writing transaction; the company row is key-share locked so it cannot vanish before the insert.
 */
export async function assertCompanyInWorkspace(db: Db, ctx: Pick<Ctx, "workspaceId">, companyId: string): Promise<void> {
  const [row] = await db
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, ctx.workspaceId)))
    .for("key share");
  if (!row) throw new AppError("VALIDATION", "errors.companyNotFound", { companyId: ["errors.companyNotFound"] });
}

/** The owner must be a current member of the workspace (a removed member cannot be given new records). */
export async function assertMember(db: Db, ctx: Pick<Ctx, "workspaceId">, userId: string): Promise<void> {
  const [row] = await db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, ctx.workspaceId)))
    .for("key share");
  if (!row) throw new AppError("VALIDATION", "errors.ownerNotMember", { ownerId: ["errors.ownerNotMember"] });
}

/**
 * Resolves the owner a form sent: not sent → the caller; "" → unassigned; an id → checked membership. An
 * unchanged owner (`current`) is kept without the check, so a record owned by a former member stays editable.
 */
export async function resolveOwner(db: Db, ctx: Pick<Ctx, "workspaceId" | "userId">, ownerId: string | null | undefined, current?: string | null): Promise<string | null> {
  if (ownerId === undefined) return ctx.userId;
  if (ownerId === null) return null;
  if (current !== undefined && ownerId === current) return ownerId;
  await assertMember(db, ctx, ownerId);
  return ownerId;
}

/** A LIKE/ILIKE pattern that matches `text` anywhere, with the user's % _ \ taken literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern for values starting with `text`. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** True when a database error (possibly wrapped by drizzle) is a unique-constraint violation. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: string; constraint?: string; constraint_name?: string };
    if (pg.code === "23505") return !constraint || (pg.constraint ?? pg.constraint_name) === undefined || (pg.constraint ?? pg.constraint_name) === constraint;
  }
  return false;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Route params are user input: a malformed id is "not found", never a database cast error. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && uuidPattern.test(value);
}
