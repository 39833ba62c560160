import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["owner", "admin", "manager", "rep"]);
export const localeEnum = pgEnum("locale", ["en", "zh-CN"]);
export const dealVisibilityEnum = pgEnum("deal_visibility", ["all", "own"]);

const id = () => uuid().primaryKey().defaultRandom();
const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text(),
    /** null = follow the browser's Accept-Language */
    locale: localeEnum(),
    timeZone: text().notNull().default("UTC"),
    /** Bumped to revoke every session of the user (sign out everywhere, password change). */
    sessionVersion: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const workspaces = pgTable(
  "workspaces",
  {
    id: id(),
    slug: text().notNull(),
    name: text().notNull(),
    timeZone: text().notNull().default("UTC"),
    currency: text().notNull().default("USD"),
    /** What reps may see: every deal, or only the ones they own. */
    dealVisibility: dealVisibilityEnum().notNull().default("all"),
    /** Customer lifetime value: the lifespan (months) of a customer who has bought once (docs/metrics.md). */
    customerLifespanMonths: integer().notNull().default(12),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("workspaces_slug_idx").on(t.slug)],
);

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("memberships_ws_user_idx").on(t.workspaceId, t.userId), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: roleEnum().notNull(),
    /** sha256 of the token in the link; the token itself is never stored. */
    tokenHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_ws_idx").on(t.workspaceId), uniqueIndex("invitations_token_idx").on(t.tokenHash)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_ws_created_idx").on(t.workspaceId, t.createdAt)],
);

export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("password_reset_token_idx").on(t.tokenHash)],
);

/** Failed sign-ins, kept in PostgreSQL so every app instance sees the same counters. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** "email:<lower email>" or "ip:<address>" */
    key: text().notNull(),
    success: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("login_attempts_key_created_idx").on(t.key, t.createdAt)],
);

/**
 * Sessions signed out before their cookie expires (decision 57). A session cookie is a JWT that carries a random
 * session id (`sid`); signing out records it here until the cookie's own expiry, and every request refuses a
 * recorded one — so a copy of the cookie stops working too, not just the browser's. Rows past `expiresAt` are
 * useless (the cookie is refused anyway) and are deleted by later sign-outs.
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sid: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);
