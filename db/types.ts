import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** A drizzle handle over either driver (PGlite or postgres.js), or a transaction of one. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
