import { timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./auth";

/** Column builders every schema file shares (not exported from db/schema/index.ts: they are not tables). */
export const id = () => uuid().primaryKey().defaultRandom();
export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
/** The tenant column of every workspace-owned table: not null, gone with its workspace. */
export const workspaceId = () =>
  uuid()
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });
