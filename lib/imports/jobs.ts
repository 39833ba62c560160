import "server-only";
import { eq } from "drizzle-orm";
import { imports } from "@/db/schema";
import type { Db } from "@/db/types";
import { extendLeases, DEFAULT_LEASE_MS } from "../jobs/claim";
import { PermanentJobError, type JobContext, type JobHandlers } from "../jobs/types";
import { isUuid } from "../companies/references";
import { executeImport, IMPORT_RUN_JOB, IMPORT_VALIDATE_JOB, validateImport } from "./commands";

/**
 * Job kinds of big imports (more than INLINE_ROW_LIMIT rows), run by the automation engine's tick:
 *
 * - `import-validate`: the preview check. Writes only the import's own progress and row errors, batch by
 *   batch; a second run starts over, so a crash or a lease that ran out costs time, never correctness.
 * - `import-run`: the import in one transaction (all or nothing). A crash rolls everything back; the import then
 *   shows as interrupted and can be checked and started again. Two runners can never both write it: the run
 *   takes an advisory lock, and its final status change only applies while the import is still "importing".
 *
 * Both are non-transactional handlers: they manage their own transactions and record their own failures, so
 * the engine's retries (a crash before "done") find the import finished or failed and do nothing.
 */

function importIdOf(job: JobContext["job"]): string {
  const id = job.payload.importId;
  if (!isUuid(id)) throw new PermanentJobError("import job without a valid importId");
  return id;
}

/**
 * PGlite has one connection: a write outside the import's transaction would wait for that transaction, which
 * waits for the write. Progress is then reported at the end only. PostgreSQL reports it per batch.
 */
export function reportsProgressDuringTransaction(db: Db): boolean {
  const client = (db as unknown as { $client?: { dumpDataDir?: unknown } }).$client;
  return !(client && typeof client.dumpDataDir === "function");
}

/** Progress of a running import: written outside its transaction, and keeping the job's lease alive. */
export function progressReporter(db: Db, importId: string, job?: JobContext["job"]) {
  if (!reportsProgressDuringTransaction(db)) return async () => {};
  return async (processed: number) => {
    const now = new Date();
    await db.update(imports).set({ processedRows: processed, heartbeatAt: now }).where(eq(imports.id, importId));
    if (job) await extendLeases(db, [job], new Date(now.getTime() + DEFAULT_LEASE_MS));
  };
}

export const importJobHandlers: JobHandlers = {
  [IMPORT_VALIDATE_JOB]: {
    transactional: false,
    async run({ db, job, now }) {
      await validateImport(db, importIdOf(job), now, () => new Date());
    },
  },
  [IMPORT_RUN_JOB]: {
    transactional: false,
    async run({ db, job, now }) {
      const importId = importIdOf(job);
      await executeImport(db, importId, now, progressReporter(db, importId, job), () => new Date());
    },
  },
};
