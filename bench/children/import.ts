/**
 * Child process of the import benchmark (run with tsx and bench/lib/server-only-hook.mjs, so lib modules marked
 * server-only load). Modes, chosen by argv[2]:
 *   make   <file> <rows>         writes the XLSX (streaming writer) the other two read
 *   prepare <target json>         creates and migrates the database with an importer's workspace (so the
 *                                 measured processes reopen a database, as the server does, instead of paying
 *                                 for a new PGlite cluster in their peak RSS)
 *   import <file> <target json> <prepared json>  the app's import: stageUpload → saveMapping → import-validate job → startImport → import-run job
 *   floor  <file> <target json> <prepared json>  exceljs streaming parse + bulk multi-row INSERTs of the same companies, contacts, deals, events
 * Each prints one JSON line: { ms, rows, peakRssMb, baselineRssMb }. Peak RSS is the process's high-water mark
 * (getrusage maxRSS), which includes the embedded database when the target is PGlite.
 */
import fs from "node:fs";
import { and, count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { companies, contacts, dealEvents, deals, stages, users } from "@/db/schema";
import { authorizeMember } from "@/lib/auth/membership";
import { saveMapping, stageUpload, startImport } from "@/lib/imports/commands";
import { importJobHandlers } from "@/lib/imports/jobs";
import { getImport } from "@/lib/imports/queries";
import { runDueJobs } from "@/lib/jobs/runner";
import { createWorkspace } from "@/lib/workspaces/commands";
import { openBenchDb } from "../lib/db";

const STAGES = ["Lead in", "Qualified", "Demo", "Proposal", "Negotiation"];
const HEADERS = ["Title", "Value", "Stage", "Status", "Contact name", "Contact email", "Company", "Created date", "Won/lost date", "Lost reason"];
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function make(file: string, n: number) {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = writer.addWorksheet("Deals");
  sheet.addRow(HEADERS).commit();
  for (let i = 0; i < n; i++) {
    const created = Date.UTC(2025, 0, 1) + (i % 600) * 86_400_000;
    const status = i % 10 === 0 ? "Won" : i % 10 === 1 ? "Lost" : "Open";
    sheet
      .addRow([`Deal ${i}`, (i % 1000) * 10 + 0.5, STAGES[i % 5], status, `Person ${i % 10_000}`, `person${i % 10_000}@example.test`, `Company ${i % 2_000}`, day(created), status === "Open" ? "" : day(created + 10 * 86_400_000), status === "Lost" ? "Price" : ""])
      .commit();
  }
  sheet.commit();
  await writer.commit();
  return { ms: 0, rows: n, peakRssMb: rssMb(), baselineRssMb: 0 };
}

type Prepared = { userId: string; slug: string };

async function prepare(target: Parameters<typeof openBenchDb>[0]): Promise<Prepared> {
  const bench = await openBenchDb(target);
  try {
    const [user] = await bench.db.insert(users).values({ email: `import-${process.pid}@bench.test`, name: "Importer" }).returning();
    const ws = await bench.db.transaction((tx) => createWorkspace(tx, user!.id, { name: `Import bench ${process.pid}` }, new Date()));
    return { userId: user!.id, slug: ws.slug };
  } finally {
    await bench.close();
  }
}

async function workspace(db: Awaited<ReturnType<typeof openBenchDb>>["db"], prepared: Prepared, now: Date) {
  const ctx = await authorizeMember(db, prepared.userId, prepared.slug, "data.import", now);
  return { ctx, userId: prepared.userId, workspaceId: ctx.workspaceId };
}

async function runImport(file: string, target: Parameters<typeof openBenchDb>[0], prepared: Prepared) {
  const now = new Date();
  const bench = await openBenchDb(target);
  try {
    const { ctx } = await workspace(bench.db, prepared, now);
    const baseline = rssMb();
    const started = performance.now();
    const bytes = new Uint8Array(fs.readFileSync(file));
    const { id } = await stageUpload(ctx, { kind: "deals", fileName: "bench.xlsx", bytes });
    const staged = await getImport(ctx, id);
    const { background } = await saveMapping(ctx, { importId: id, mapping: staged.mapping, createMissing: true, updateExisting: false, dateFormat: "ymd" });
    const log = (message: string) => console.error(message); // a failed attempt says why
    if (background) await runDueJobs(bench.db, now, importJobHandlers, { kinds: ["import-validate"], log });
    const started2 = await startImport(ctx, { importId: id, skipInvalid: false });
    if (started2.background) await runDueJobs(bench.db, now, importJobHandlers, { kinds: ["import-run"], log });
    const ms = performance.now() - started;
    const done = await getImport(ctx, id);
    const [n] = await bench.db.select({ n: count() }).from(deals).where(eq(deals.workspaceId, ctx.workspaceId));
    if (done.status !== "completed") throw new Error(`import ended ${done.status}: ${JSON.stringify(done.summary)}`);
    return { ms, rows: n!.n, peakRssMb: rssMb(), baselineRssMb: baseline };
  } finally {
    await bench.close();
  }
}

/** The floor: parse the same file with exceljs and write the same rows with bulk INSERTs, in one transaction. */
async function runFloor(file: string, target: Parameters<typeof openBenchDb>[0], prepared: Prepared) {
  const now = new Date();
  const bench = await openBenchDb(target);
  try {
    const { workspaceId, userId } = await workspace(bench.db, prepared, now);
    const stageRows = await bench.db.select({ id: stages.id, name: stages.name, pipelineId: stages.pipelineId }).from(stages).where(eq(stages.workspaceId, workspaceId));
    const stageByName = new Map(stageRows.map((s) => [s.name, s]));
    const baseline = rssMb();
    const started = performance.now();
    const parsed: string[][] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: "cache", styles: "ignore", hyperlinks: "ignore", worksheets: "emit" });
    for await (const sheet of reader) {
      for await (const r of sheet) {
        const values = (r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v)));
        if (r.number > 1) parsed.push(values);
      }
    }
    await bench.db.transaction(async (tx) => {
      const companyIds = new Map<string, string>();
      const contactIds = new Map<string, string>();
      const names = [...new Set(parsed.map((r) => r[6]!).filter(Boolean))];
      for (let i = 0; i < names.length; i += 1000) {
        for (const c of await tx.insert(companies).values(names.slice(i, i + 1000).map((name) => ({ workspaceId, name }))).returning({ id: companies.id, name: companies.name })) companyIds.set(c.name, c.id);
      }
      const people = new Map<string, { name: string; company: string }>();
      for (const r of parsed) if (r[5] && !people.has(r[5])) people.set(r[5], { name: r[4]!, company: r[6]! });
      const emails = [...people.keys()];
      for (let i = 0; i < emails.length; i += 1000) {
        const batch = emails.slice(i, i + 1000).map((email) => {
          const p = people.get(email)!;
          const [firstName, ...rest] = p.name.split(" ");
          return { workspaceId, firstName: firstName!, lastName: rest.join(" "), email, companyId: companyIds.get(p.company) ?? null };
        });
        for (const c of await tx.insert(contacts).values(batch).returning({ id: contacts.id, email: contacts.email })) contactIds.set(c.email!, c.id);
      }
      for (let i = 0; i < parsed.length; i += 1000) {
        const batch = parsed.slice(i, i + 1000).map((r) => {
          const stage = stageByName.get(r[2]!)!;
          const status = r[3] === "Won" ? ("won" as const) : r[3] === "Lost" ? ("lost" as const) : ("open" as const);
          const createdAt = new Date(`${r[7]!.slice(0, 10)}T00:00:00Z`);
          return {
            workspaceId,
            pipelineId: stage.pipelineId,
            stageId: stage.id,
            title: r[0]!,
            value: Math.round(Number(r[1]) * 100),
            ownerId: userId,
            contactId: contactIds.get(r[5]!) ?? null,
            companyId: companyIds.get(r[6]!) ?? null,
            status,
            lostReason: r[9] || null,
            closedAt: r[8] ? new Date(`${r[8].slice(0, 10)}T00:00:00Z`) : null,
            stageEnteredAt: createdAt,
            createdAt,
          };
        });
        const inserted = await tx.insert(deals).values(batch).returning({ id: deals.id, stageId: deals.stageId, status: deals.status, createdAt: deals.createdAt, closedAt: deals.closedAt });
        await tx.insert(dealEvents).values(
          inserted.flatMap((d) => [
            { workspaceId, dealId: d.id, type: "created" as const, toStageId: d.stageId, occurredAt: d.createdAt },
            ...(d.status === "open" ? [] : [{ workspaceId, dealId: d.id, type: d.status, toStageId: d.stageId, occurredAt: d.closedAt ?? d.createdAt }]),
          ]),
        );
      }
    });
    const ms = performance.now() - started;
    const [n] = await bench.db.select({ n: count() }).from(deals).where(and(eq(deals.workspaceId, workspaceId)));
    return { ms, rows: n!.n, peakRssMb: rssMb(), baselineRssMb: baseline };
  } finally {
    await bench.close();
  }
}

async function main() {
  const [mode, file, arg, prepared] = process.argv.slice(2);
  const result =
    mode === "make"
      ? await make(file!, Number(arg))
      : mode === "prepare"
        ? await prepare(JSON.parse(file!))
        : mode === "import"
          ? await runImport(file!, JSON.parse(arg!), JSON.parse(prepared!))
          : await runFloor(file!, JSON.parse(arg!), JSON.parse(prepared!));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
