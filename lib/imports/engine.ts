import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, isNotNull, max, sql } from "drizzle-orm";
import {
  companies,
  contacts,
  dealEvents,
  deals,
  importRecords,
  importRows,
  memberships,
  pipelines,
  stages,
  users,
  type ImportOptions,
  type ImportSummary,
  type RowError,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { mergeCustom, parseCustomValues, type CustomValue, type FieldDef } from "../custom-fields/values";
import { listCustomFields, toFieldDef } from "../custom-fields/queries";
import { CUSTOM_PREFIX, entityOf, isCustomField, type ImportKind } from "./fields";
import {
  cellsByField,
  customCellInput,
  parseCompanyRow,
  parseContactRow,
  parseDealRow,
  splitName,
  type CompanyRowData,
  type ContactRowData,
  type DealRowData,
  type HistoryEntry,
  type ParseOptions,
} from "./rows";

/**
 * The import engine: reads the staged rows in batches, checks each row (lib/imports/rows.ts), resolves what it
 * names (pipeline, stage, owner, company, contact) against the workspace and against what earlier rows of the
 * same file will create, and — when executing — writes each batch with multi-row inserts and records every
 * created/updated record for a revert.
 *
 * The same code serves the preview ("validate": nothing written but the row errors) and the import
 * ("execute", inside the caller's single transaction), so the preview announces exactly what the import does.
 * Memory is bounded by the batch size plus name → id maps of the records the file mentions.
 */

export const BATCH_SIZE = 1000;
const INSERT_CHUNK = 500;

export type ImportScope = {
  db: Db;
  importId: string;
  workspaceId: string;
  /** The member who started the import: owner of what has no owner, actor of the history events. */
  userId: string;
  timeZone: string;
  currency: string;
  now: Date;
};

export type RowErrors = { rowNumber: number; errors: RowError[] };
export type EngineResult = { summary: ImportSummary; processed: number; errorRows: RowErrors[] | number };

type Mode = "validate" | "execute";
type Entity = "pipeline" | "stage" | "company" | "contact" | "deal";

type StageEntry = { id: string; name: string; pipelineId: string; isNew: boolean };
type PipelineEntry = { id: string; name: string; isNew: boolean; stages: Map<string, StageEntry>; firstStage: StageEntry | null; nextStagePosition: number };
type CompanyEntry = { id: string; isNew: boolean; row?: typeof companies.$inferSelect };
type ContactEntry = { id: string; isNew: boolean; row?: typeof contacts.$inferSelect };

const lower = (s: string) => s.trim().toLowerCase();
const fullNameOf = (c: { firstName: string; lastName: string | null }) => lower([c.firstName, c.lastName].filter(Boolean).join(" "));

/** Thrown inside the import transaction when a row is refused and the import is all-or-nothing. */
export class ImportRefused extends Error {
  constructor(readonly rowErrors: RowErrors[]) {
    super("import refused");
    this.name = "ImportRefused";
  }
}

class Planner {
  private pipelinesByName = new Map<string, PipelineEntry>();
  private defaultPipeline: PipelineEntry | null = null;
  private nextPipelinePosition = 1;
  private members = new Map<string, string>();
  private customDefs: FieldDef[] = [];
  private parseOpts: ParseOptions | null = null;
  private companiesByName = new Map<string, CompanyEntry | null>();
  private contactsByEmail = new Map<string, ContactEntry | null>();
  private contactsByName = new Map<string, ContactEntry | "ambiguous" | null>();
  private dealPositions = new Map<string, number>();
  /** First row of the file naming a key (email, company name): a second row with it is a duplicate. */
  private seen = new Map<string, number>();
  readonly summary: ImportSummary = {};
  private newPipelines: string[] = [];
  private newStages: string[] = [];

  // Writes of the current batch.
  private pipelineRows: (typeof pipelines.$inferInsert)[] = [];
  private stageRows: (typeof stages.$inferInsert)[] = [];
  private companyRows: (typeof companies.$inferInsert)[] = [];
  private contactRows: (typeof contacts.$inferInsert)[] = [];
  private dealRows: (typeof deals.$inferInsert)[] = [];
  private eventRows: (typeof dealEvents.$inferInsert)[] = [];
  private updates: { entity: "company" | "contact"; id: string; before: Record<string, unknown>; after: Record<string, unknown> }[] = [];
  private records: (typeof importRecords.$inferInsert)[] = [];
  private customers = new Set<string>();
  private createdContacts = new Set<string>();
  private pendingContacts = new Map<string, typeof contacts.$inferInsert>();
  /** Undo log of the row being planned: a refused row leaves no trace (no stage or company created for it). */
  private undo: (() => void)[] = [];

  constructor(
    private readonly scope: ImportScope,
    private readonly kind: ImportKind,
    private readonly options: ImportOptions,
    private readonly mode: Mode,
  ) {}

  private count(entity: "deals" | "contacts" | "companies" | "pipelines" | "stages", action: "created" | "updated") {
    const fresh = !this.summary[entity];
    const c = (this.summary[entity] ??= { created: 0, updated: 0 });
    c[action]++;
    this.undo.push(() => {
      c[action]--;
      if (fresh) delete this.summary[entity];
    });
  }

  /** Sets a cache entry, remembering how to take it back if the row is refused. */
  private remember<K, V>(map: Map<K, V>, key: K, value: V) {
    const had = map.has(key);
    const previous = map.get(key);
    map.set(key, value);
    this.undo.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
  }

  private push<T>(list: T[], item: T) {
    list.push(item);
    this.undo.push(() => void list.pop());
  }

  /** Plans one row; when it turns out refused, everything it planned is taken back. */
  planRow(errors: RowError[], plan: () => void) {
    this.undo = [];
    plan();
    if (errors.length) for (const undo of this.undo.reverse()) undo();
    this.undo = [];
  }

  private record(entity: Entity, entityId: string, action: "created" | "updated", before?: Record<string, unknown>, after?: Record<string, unknown>) {
    this.push(this.records, { importId: this.scope.importId, workspaceId: this.scope.workspaceId, entity, entityId, action, before: before ?? null, after: after ?? null });
  }

  /** Pipelines, stages, members and each stage's last card position: small, loaded once. */
  async load(db: Db) {
    const ws = this.scope.workspaceId;
    const pipelineList = await db
      .select({ id: pipelines.id, name: pipelines.name, position: pipelines.position, archived: sql<boolean>`${pipelines.archivedAt} is not null` })
      .from(pipelines)
      .where(eq(pipelines.workspaceId, ws))
      .orderBy(sql`${pipelines.archivedAt} is not null`, asc(pipelines.position), asc(pipelines.createdAt));
    const stageList = await db
      .select({ id: stages.id, name: stages.name, pipelineId: stages.pipelineId, position: stages.position })
      .from(stages)
      .where(eq(stages.workspaceId, ws))
      .orderBy(asc(stages.position), asc(stages.createdAt));
    for (const p of pipelineList) {
      const entry: PipelineEntry = { id: p.id, name: p.name, isNew: false, stages: new Map(), firstStage: null, nextStagePosition: 1 };
      for (const s of stageList.filter((s) => s.pipelineId === p.id)) {
        const stage = { id: s.id, name: s.name, pipelineId: p.id, isNew: false };
        if (!entry.stages.has(lower(s.name))) entry.stages.set(lower(s.name), stage);
        entry.firstStage ??= stage;
        entry.nextStagePosition = Math.max(entry.nextStagePosition, s.position + 1);
      }
      if (!this.pipelinesByName.has(lower(p.name))) this.pipelinesByName.set(lower(p.name), entry);
      if (!p.archived && !this.defaultPipeline) this.defaultPipeline = entry;
      this.nextPipelinePosition = Math.max(this.nextPipelinePosition, p.position + 1);
    }
    const memberList = await db
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, ws));
    for (const m of memberList) this.members.set(lower(m.email), m.id);
    this.customDefs = (await listCustomFields({ db, workspaceId: ws }, entityOf[this.kind])).map(toFieldDef);
    this.parseOpts = { timeZone: this.scope.timeZone, currency: this.scope.currency, dateOrder: this.options.dateFormat, now: this.scope.now };
    if (this.mode === "execute" && this.kind === "deals") {
      const positions = await db
        .select({ stageId: deals.stageId, p: max(deals.position) })
        .from(deals)
        .where(eq(deals.workspaceId, ws))
        .groupBy(deals.stageId);
      for (const p of positions) this.dealPositions.set(p.stageId, (p.p ?? 0) + 1);
    }
  }

  /** Looks up, in one query each, the companies and contacts a batch names that are not known yet. */
  async prefetch(db: Db, names: { companies: Set<string>; emails: Set<string>; contactNames: Set<string> }) {
    const ws = this.scope.workspaceId;
    const companyNames = [...names.companies].filter((n) => !this.companiesByName.has(n));
    if (companyNames.length) {
      const found = await db
        .select()
        .from(companies)
        .where(and(eq(companies.workspaceId, ws), inArray(sql`lower(${companies.name})`, companyNames)))
        .orderBy(asc(companies.createdAt), asc(companies.id));
      for (const n of companyNames) this.companiesByName.set(n, null);
      for (const row of found) {
        const key = lower(row.name);
        if (!this.companiesByName.get(key)) this.companiesByName.set(key, { id: row.id, isNew: false, row });
      }
    }
    const emails = [...names.emails].filter((e) => !this.contactsByEmail.has(e));
    if (emails.length) {
      const found = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, ws), isNotNull(contacts.email), inArray(sql`lower(${contacts.email})`, emails)));
      for (const e of emails) this.contactsByEmail.set(e, null);
      for (const row of found) this.contactsByEmail.set(lower(row.email!), { id: row.id, isNew: false, row });
    }
    const contactNames = [...names.contactNames].filter((n) => !this.contactsByName.has(n));
    if (contactNames.length) {
      const found = await db
        .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, ws), inArray(sql`lower(concat_ws(' ', ${contacts.firstName}, nullif(${contacts.lastName}, '')))`, contactNames)));
      for (const n of contactNames) this.contactsByName.set(n, null);
      for (const row of found) {
        const key = fullNameOf(row);
        this.contactsByName.set(key, this.contactsByName.get(key) ? "ambiguous" : { id: row.id, isNew: false });
      }
    }
  }

  private owner(email: string | null, errors: RowError[]): string | null {
    if (!email) return this.scope.userId;
    const id = this.members.get(email);
    if (!id) errors.push({ field: "ownerEmail", key: "imports.rowErrors.ownerNotMember", params: { email } });
    return id ?? null;
  }

  private pipeline(name: string | null, errors: RowError[]): PipelineEntry | null {
    if (!name) {
      if (!this.defaultPipeline) errors.push({ field: "pipeline", key: "imports.rowErrors.pipelineNotFound", params: { name: "" } });
      return this.defaultPipeline;
    }
    const known = this.pipelinesByName.get(lower(name));
    if (known) return known;
    if (!this.options.createMissing) {
      errors.push({ field: "pipeline", key: "imports.rowErrors.pipelineNotFound", params: { name } });
      return null;
    }
    const entry: PipelineEntry = { id: randomUUID(), name, isNew: true, stages: new Map(), firstStage: null, nextStagePosition: 1 };
    this.remember(this.pipelinesByName, lower(name), entry);
    const position = this.nextPipelinePosition++;
    this.undo.push(() => void this.nextPipelinePosition--);
    this.push(this.pipelineRows, { id: entry.id, workspaceId: this.scope.workspaceId, name, position, createdAt: this.scope.now });
    this.record("pipeline", entry.id, "created");
    this.count("pipelines", "created");
    this.push(this.newPipelines, name);
    return entry;
  }

  private stage(pipeline: PipelineEntry, name: string | null, field: string, errors: RowError[]): StageEntry | null {
    if (!name) {
      if (!pipeline.firstStage) errors.push({ field: "stage", key: "imports.rowErrors.stageRequired", params: { pipeline: pipeline.name } });
      return pipeline.firstStage;
    }
    const known = pipeline.stages.get(lower(name));
    if (known) return known;
    if (!this.options.createMissing) {
      errors.push({ field, key: "imports.rowErrors.stageNotFound", params: { stage: name, pipeline: pipeline.name } });
      return null;
    }
    const entry: StageEntry = { id: randomUUID(), name, pipelineId: pipeline.id, isNew: true };
    this.remember(pipeline.stages, lower(name), entry);
    if (!pipeline.firstStage) {
      pipeline.firstStage = entry;
      this.undo.push(() => void (pipeline.firstStage = null));
    }
    const position = pipeline.nextStagePosition++;
    this.undo.push(() => void pipeline.nextStagePosition--);
    // New stages go last, with no win probability yet: the user sets it in Settings → Pipelines.
    this.push(this.stageRows, { id: entry.id, workspaceId: this.scope.workspaceId, pipelineId: pipeline.id, name, position, probability: 0, rottingDays: null, createdAt: this.scope.now });
    this.record("stage", entry.id, "created");
    this.count("stages", "created");
    this.push(this.newStages, `${pipeline.name} › ${name}`);
    return entry;
  }

  private company(name: string | null, ownerId: string | null, createdAt: Date, errors: RowError[]): string | null {
    if (!name) return null;
    const known = this.companiesByName.get(lower(name));
    if (known) return known.id;
    if (!this.options.createMissing) {
      errors.push({ field: "company", key: "imports.rowErrors.companyNotFound", params: { name } });
      return null;
    }
    return this.createCompany({ name, domain: null, phone: null, address: null, ownerId, createdAt });
  }

  private createCompany(values: { name: string; domain: string | null; phone: string | null; address: string | null; ownerId: string | null; createdAt: Date; custom?: Record<string, unknown> }): string {
    const id = randomUUID();
    this.remember(this.companiesByName, lower(values.name), { id, isNew: true });
    this.push(this.companyRows, { id, workspaceId: this.scope.workspaceId, ...values, updatedAt: this.scope.now });
    this.record("company", id, "created");
    this.count("companies", "created");
    return id;
  }

  private createContact(values: Omit<typeof contacts.$inferInsert, "id" | "workspaceId" | "updatedAt">): string {
    const id = randomUUID();
    const entry = { id, isNew: true };
    if (values.email) this.remember(this.contactsByEmail, lower(values.email), entry);
    const name = fullNameOf({ firstName: values.firstName, lastName: values.lastName ?? "" });
    this.remember(this.contactsByName, name, this.contactsByName.get(name) ? "ambiguous" : entry);
    const row = { id, workspaceId: this.scope.workspaceId, ...values, updatedAt: this.scope.now };
    this.push(this.contactRows, row);
    this.remember(this.pendingContacts, id, row);
    this.createdContacts.add(id); // ids are fresh uuids: no need to take this back
    this.record("contact", id, "created");
    this.count("contacts", "created");
    return id;
  }

  /** The contact a deal row names: by email, else by full name; created when missing (and allowed). */
  private dealContact(row: DealRowData, companyId: string | null, ownerId: string | null, createdAt: Date, errors: RowError[]): string | null {
    if (!row.contactEmail && !row.contactName) return null;
    if (row.contactEmail) {
      const known = this.contactsByEmail.get(row.contactEmail);
      if (known) return known.id;
    } else {
      const known = this.contactsByName.get(lower(row.contactName!));
      if (known === "ambiguous") {
        errors.push({ field: "contactName", key: "imports.rowErrors.contactAmbiguous", params: { name: row.contactName! } });
        return null;
      }
      if (known) return known.id;
    }
    if (!this.options.createMissing) {
      errors.push({ field: row.contactEmail ? "contactEmail" : "contactName", key: "imports.rowErrors.contactNotFound", params: { name: row.contactEmail ?? row.contactName! } });
      return null;
    }
    if (!row.contactName) {
      errors.push({ field: "contactName", key: "imports.rowErrors.contactNameRequired", params: { email: row.contactEmail! } });
      return null;
    }
    const { firstName, lastName } = splitName(row.contactName);
    return this.createContact({
      firstName: firstName.slice(0, 120),
      lastName: lastName.slice(0, 120),
      email: row.contactEmail,
      phone: row.contactPhone,
      companyId,
      ownerId,
      source: row.source,
      lifecycle: "lead",
      createdAt,
    });
  }

  private duplicate(key: string, rowNumber: number, field: string, errors: RowError[]): boolean {
    const first = this.seen.get(key);
    if (first !== undefined) {
      errors.push({ field, key: "imports.rowErrors.duplicateInFile", params: { row: first } });
      return true;
    }
    this.seen.set(key, rowNumber);
    return false;
  }

  private earliest(...dates: (Date | null | undefined)[]): Date {
    return new Date(Math.min(this.scope.now.getTime(), ...dates.filter((d): d is Date => !!d).map((d) => d.getTime())));
  }

  /**
   * The custom-field cells of a row ("custom:<key>" → text) as values to store, with the forms' rules
   * (parseCustomValues); people are given by their member email. Empty cells are left out: they never clear.
   */
  private customValues(raw: Record<string, string>, errors: RowError[]): Record<string, CustomValue> {
    const input: Record<string, unknown> = {};
    for (const [field, text] of Object.entries(raw)) {
      if (!text) continue;
      const def = this.customDefs.find((d) => `${CUSTOM_PREFIX}${d.key}` === field);
      if (!def) continue;
      if (def.type === "user") {
        const id = this.members.get(lower(text));
        if (id) input[def.key] = id;
        else errors.push({ field, key: "imports.rowErrors.ownerNotMember", params: { email: text, label: def.label } });
        continue;
      }
      const prepared = customCellInput(def.type, text, this.parseOpts!);
      if (typeof prepared === "string") input[def.key] = prepared;
      else errors.push({ field, key: prepared.error, params: { value: text.slice(0, 40), label: def.label } });
    }
    const { values, fieldErrors } = parseCustomValues(this.customDefs, input);
    for (const [name, keys] of Object.entries(fieldErrors)) {
      const key = name.replace(/^custom\./, "");
      const label = this.customDefs.find((d) => d.key === key)?.label ?? key;
      errors.push({ field: `${CUSTOM_PREFIX}${key}`, key: keys[0] ?? "errors.invalid", params: { label } });
    }
    return Object.fromEntries(Object.entries(values).filter((e): e is [string, CustomValue] => e[1] !== null));
  }

  planDeal(row: DealRowData, errors: RowError[], customRaw: Record<string, string> = {}) {
    const custom = this.customValues(customRaw, errors);
    const ownerId = this.owner(row.ownerEmail, errors);
    const lastHistory = row.history?.at(-1);
    const pipeline = this.pipeline(row.pipeline ?? lastHistory?.pipeline ?? null, errors);
    if (!pipeline) return;
    if (pipeline.isNew && !row.stage) {
      errors.push({ field: "stage", key: "imports.rowErrors.stageRequired", params: { pipeline: pipeline.name } });
      return;
    }
    const stage = this.stage(pipeline, row.stage, "stage", errors);
    const history: { entry: HistoryEntry; stage: StageEntry }[] = [];
    for (const entry of row.history ?? []) {
      const p = entry.pipeline ? this.pipeline(entry.pipeline, errors) : pipeline;
      const s = p ? this.stage(p, entry.stage, "stageHistory", errors) : null;
      if (s) history.push({ entry, stage: s });
    }
    const createdAt = this.earliest(row.createdAt, history[0]?.entry.at, row.closedAt);
    const companyId = this.company(row.company, ownerId, createdAt, errors);
    const contactId = this.dealContact(row, companyId, ownerId, createdAt, errors);
    if (errors.length || !stage) return;

    const id = randomUUID();
    const closedAt = row.status === "open" ? null : (row.closedAt ?? this.scope.now);
    const position = this.dealPositions.get(stage.id) ?? 1;
    this.dealPositions.set(stage.id, position + 1);
    const stageEnteredAt = history.at(-1)?.entry.at ?? createdAt;
    this.dealRows.push({
      id,
      workspaceId: this.scope.workspaceId,
      pipelineId: pipeline.id,
      stageId: stage.id,
      title: row.title,
      value: row.value,
      currency: row.currency,
      ownerId,
      contactId,
      companyId,
      status: row.status,
      lostReason: row.lostReason,
      expectedCloseDate: row.expectedCloseDate,
      source: row.source,
      notes: row.notes,
      position,
      stageEnteredAt,
      closedAt,
      custom,
      createdAt,
      updatedAt: this.scope.now,
    });
    // The history a deal made in Pipewise would have: created → stage changes → won/lost, at the sheet's dates.
    const event = (type: (typeof dealEvents.$inferInsert)["type"], occurredAt: Date, extra: Partial<typeof dealEvents.$inferInsert> = {}) =>
      this.eventRows.push({ workspaceId: this.scope.workspaceId, dealId: id, type, actorId: this.scope.userId, occurredAt, ...extra, data: { ...(extra.data ?? {}), importId: this.scope.importId } });
    const firstStage = history[0]?.stage ?? stage;
    event("created", createdAt, { toStageId: firstStage.id, data: { value: row.value, currency: row.currency } });
    let current = firstStage;
    for (const { entry, stage: next } of history.slice(1)) {
      if (next.id === current.id) continue;
      event("stage_changed", entry.at, {
        fromStageId: current.id,
        toStageId: next.id,
        data: current.pipelineId !== next.pipelineId ? { fromPipelineId: current.pipelineId, toPipelineId: next.pipelineId } : {},
      });
      current = next;
    }
    if (current.id !== stage.id) {
      event("stage_changed", stageEnteredAt, { fromStageId: current.id, toStageId: stage.id });
    }
    if (row.status === "won") event("won", closedAt!, { toStageId: stage.id, data: { value: row.value, currency: row.currency } });
    if (row.status === "lost") event("lost", closedAt!, { toStageId: stage.id, data: { reason: row.lostReason } });
    if (row.status === "won" && contactId) this.customers.add(contactId);
    this.record("deal", id, "created");
    this.count("deals", "created");
  }

  planContact(row: ContactRowData, rowNumber: number, errors: RowError[], customRaw: Record<string, string> = {}) {
    const custom = this.customValues(customRaw, errors);
    if (row.email && this.duplicate(`email:${row.email}`, rowNumber, "email", errors)) return;
    const existing = row.email ? this.contactsByEmail.get(row.email) : null;
    if (existing && !this.options.updateExisting) {
      errors.push({ field: "email", key: "imports.rowErrors.contactExists", params: { email: row.email! } });
      return;
    }
    const ownerId = row.present.has("ownerEmail") ? this.owner(row.ownerEmail, errors) : this.scope.userId;
    const createdAt = this.earliest(row.createdAt);
    const companyId = this.company(row.company, ownerId, createdAt, errors);
    if (errors.length) return;
    if (existing?.row) {
      const current = existing.row;
      const next: Partial<typeof contacts.$inferSelect> = {};
      const set = <K extends keyof typeof contacts.$inferSelect>(field: string, key: K, value: (typeof contacts.$inferSelect)[K]) => {
        if (row.present.has(field) && current[key] !== value) next[key] = value;
      };
      set("firstName", "firstName", row.firstName);
      set("lastName", "lastName", row.lastName);
      set("phone", "phone", row.phone);
      set("jobTitle", "title", row.title);
      set("company", "companyId", companyId);
      set("ownerEmail", "ownerId", ownerId);
      if (row.lifecycle) set("lifecycle", "lifecycle", row.lifecycle);
      set("source", "source", row.source);
      set("timeZone", "timeZone", row.timeZone);
      const merged = mergeCustom(current.custom ?? {}, custom);
      if (JSON.stringify(merged) !== JSON.stringify(current.custom ?? {})) next.custom = merged;
      this.update("contact", current, next);
      return;
    }
    this.createContact({
      firstName: row.firstName,
      lastName: row.lastName,
      email: row.email,
      phone: row.phone,
      title: row.title,
      companyId,
      ownerId,
      lifecycle: row.lifecycle ?? "lead",
      source: row.source,
      timeZone: row.timeZone,
      custom,
      createdAt,
    });
  }

  planCompany(row: CompanyRowData, rowNumber: number, errors: RowError[], customRaw: Record<string, string> = {}) {
    const custom = this.customValues(customRaw, errors);
    if (this.duplicate(`company:${lower(row.name)}`, rowNumber, "name", errors)) return;
    const existing = this.companiesByName.get(lower(row.name));
    const ownerId = row.present.has("ownerEmail") ? this.owner(row.ownerEmail, errors) : this.scope.userId;
    if (errors.length) return;
    if (existing?.row && this.options.updateExisting) {
      const current = existing.row;
      const next: Partial<typeof companies.$inferSelect> = {};
      const set = <K extends keyof typeof companies.$inferSelect>(field: string, key: K, value: (typeof companies.$inferSelect)[K]) => {
        if (row.present.has(field) && current[key] !== value) next[key] = value;
      };
      set("domain", "domain", row.domain);
      set("phone", "phone", row.phone);
      set("address", "address", row.address);
      set("ownerEmail", "ownerId", ownerId);
      const merged = mergeCustom(current.custom ?? {}, custom);
      if (JSON.stringify(merged) !== JSON.stringify(current.custom ?? {})) next.custom = merged;
      this.update("company", current, next);
      return;
    }
    this.createCompany({ name: row.name, domain: row.domain, phone: row.phone, address: row.address, ownerId, createdAt: this.earliest(row.createdAt), custom });
  }

  private update(entity: "company" | "contact", current: { id: string } & Record<string, unknown>, next: Record<string, unknown>) {
    const fields = Object.keys(next);
    if (fields.length === 0) return;
    const before = Object.fromEntries(fields.map((f) => [f, current[f] ?? null]));
    this.updates.push({ entity, id: current.id, before, after: next });
    this.record(entity, current.id, "updated", before, next);
    Object.assign(current, next); // a later row sees the updated values
    this.count(entity === "company" ? "companies" : "contacts", "updated");
  }

  /** Writes what the batch planned when `write` (execute mode), in dependency order; otherwise forgets it. */
  async flush(db: Db, write: boolean) {
    if (write) await this.prepareLifecycles(db);
    const batch = {
      pipelines: this.pipelineRows,
      stages: this.stageRows,
      companies: this.companyRows,
      contacts: this.contactRows,
      deals: this.dealRows,
      events: this.eventRows,
      updates: this.updates,
      records: this.records,
      customers: this.customers,
    };
    this.pipelineRows = [];
    this.stageRows = [];
    this.companyRows = [];
    this.contactRows = [];
    this.pendingContacts = new Map();
    this.dealRows = [];
    this.eventRows = [];
    this.updates = [];
    this.records = [];
    this.customers = new Set();
    if (!write) return;
    const insert = async <T>(rows: T[], run: (chunk: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await run(rows.slice(i, i + INSERT_CHUNK));
    };
    await insert(batch.pipelines, (c) => db.insert(pipelines).values(c));
    await insert(batch.stages, (c) => db.insert(stages).values(c));
    await insert(batch.companies, (c) => db.insert(companies).values(c));
    await insert(batch.contacts, (c) => db.insert(contacts).values(c));
    for (const u of batch.updates) {
      const table = u.entity === "company" ? companies : contacts;
      await db
        .update(table)
        .set({ ...u.after, updatedAt: this.scope.now })
        .where(and(eq(table.id, u.id), eq(table.workspaceId, this.scope.workspaceId)));
    }
    await insert(batch.deals, (c) => db.insert(deals).values(c));
    await insert(batch.events, (c) => db.insert(dealEvents).values(c));
    const promote = [...batch.customers];
    for (let i = 0; i < promote.length; i += INSERT_CHUNK) {
      await db
        .update(contacts)
        .set({ lifecycle: "customer", updatedAt: this.scope.now })
        .where(and(eq(contacts.workspaceId, this.scope.workspaceId), inArray(contacts.id, promote.slice(i, i + INSERT_CHUNK))));
    }
    await insert(batch.records, (c) => db.insert(importRecords).values(c));
  }

  /**
   * A won deal makes its contact a customer (as markWon does). Contacts created by this import are simply
   * created as customers; existing ones are promoted and their previous lifecycle is recorded for a revert.
   */
  private async prepareLifecycles(db: Db) {
    if (this.customers.size === 0) return;
    const existing = [...this.customers].filter((id) => !this.createdContacts.has(id));
    const before = new Map<string, string>();
    for (let i = 0; i < existing.length; i += INSERT_CHUNK) {
      const rows = await db
        .select({ id: contacts.id, lifecycle: contacts.lifecycle })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, this.scope.workspaceId), inArray(contacts.id, existing.slice(i, i + INSERT_CHUNK))));
      for (const r of rows) before.set(r.id, r.lifecycle);
    }
    const promote = new Set<string>();
    for (const id of this.customers) {
      const pending = this.pendingContacts.get(id);
      if (pending) pending.lifecycle = "customer";
      else if (this.createdContacts.has(id)) promote.add(id); // created by an earlier batch of this import
      else {
        const was = before.get(id);
        if (!was || was === "customer") continue;
        promote.add(id);
        this.records.push({ importId: this.scope.importId, workspaceId: this.scope.workspaceId, entity: "contact", entityId: id, action: "updated", before: { lifecycle: was }, after: { lifecycle: "customer" } });
      }
    }
    this.customers = promote;
  }

  finalSummary(): ImportSummary {
    return { ...this.summary, ...(this.newPipelines.length ? { newPipelines: this.newPipelines.slice(0, 50) } : {}), ...(this.newStages.length ? { newStages: this.newStages.slice(0, 100) } : {}) };
  }

}

/** Writes the errors of a batch's refused rows into their staged rows (one statement). */
async function storeRowErrors(db: Db, scope: Pick<ImportScope, "importId" | "workspaceId">, list: RowErrors[]) {
  for (let i = 0; i < list.length; i += INSERT_CHUNK) {
    const chunk = list.slice(i, i + INSERT_CHUNK);
    const values = sql.join(
      chunk.map((r) => sql`(${r.rowNumber}::int, ${JSON.stringify(r.errors)}::jsonb)`),
      sql`, `,
    );
    await db.execute(sql`
      update ${importRows} r set errors = v.errors
      from (values ${values}) as v(n, errors)
      where r.import_id = ${scope.importId} and r.workspace_id = ${scope.workspaceId} and r.row_number = v.n`);
  }
}

export { storeRowErrors };

/**
 * Runs the import's rows through the planner. validate: stores each refused row's errors (and clears old ones),
 * writes nothing else, and returns the number of refused rows. execute: writes everything on `scope.db` (the
 * caller's transaction); a refused row either stops the import (ImportRefused with every row's errors, thrown
 * after all rows were checked so the report is complete) or, with skipInvalid, is left out and reported.
 */
export async function runRows(
  scope: ImportScope,
  job: { kind: ImportKind; mapping: (string | null)[]; options: ImportOptions },
  mode: Mode,
  onProgress: (processed: number) => Promise<void> = async () => {},
): Promise<EngineResult> {
  const db = scope.db;
  const planner = new Planner(scope, job.kind, job.options, mode);
  await planner.load(db);
  const parseOpts: ParseOptions = { timeZone: scope.timeZone, currency: scope.currency, dateOrder: job.options.dateFormat, now: scope.now };
  if (mode === "validate") {
    await db.update(importRows).set({ errors: null }).where(and(eq(importRows.importId, scope.importId), eq(importRows.workspaceId, scope.workspaceId), isNotNull(importRows.errors)));
  }
  let after = 0;
  let processed = 0;
  let refusedCount = 0;
  const refused: RowErrors[] = [];
  let writing = mode === "execute";
  for (;;) {
    const batch = await db
      .select({ rowNumber: importRows.rowNumber, cells: importRows.cells })
      .from(importRows)
      .where(and(eq(importRows.importId, scope.importId), eq(importRows.workspaceId, scope.workspaceId), gt(importRows.rowNumber, after)))
      .orderBy(asc(importRows.rowNumber))
      .limit(BATCH_SIZE);
    if (batch.length === 0) break;
    after = batch.at(-1)!.rowNumber;
    const parsed = batch.map((r) => {
      const fields = cellsByField(job.mapping, r.cells);
      const result = job.kind === "deals" ? parseDealRow(fields, parseOpts) : job.kind === "contacts" ? parseContactRow(fields, parseOpts) : parseCompanyRow(fields, parseOpts);
      const customRaw = Object.fromEntries(Object.entries(fields).filter(([field]) => isCustomField(field)));
      return { rowNumber: r.rowNumber, result, customRaw };
    });
    const names = { companies: new Set<string>(), emails: new Set<string>(), contactNames: new Set<string>() };
    for (const { result } of parsed) {
      if (!result.data) continue;
      const d = result.data as Partial<DealRowData & ContactRowData & CompanyRowData>;
      if (d.company) names.companies.add(lower(d.company));
      if (job.kind === "companies" && d.name) names.companies.add(lower(d.name));
      if (d.contactEmail) names.emails.add(d.contactEmail);
      if (job.kind === "contacts" && d.email) names.emails.add(d.email);
      if (d.contactName && !d.contactEmail) names.contactNames.add(lower(d.contactName));
    }
    await planner.prefetch(db, names);
    const batchErrors: RowErrors[] = [];
    for (const { rowNumber, result, customRaw } of parsed) {
      const errors: RowError[] = result.ok ? [] : [...result.errors];
      if (result.ok) {
        planner.planRow(errors, () => {
          if (job.kind === "deals") planner.planDeal(result.data as DealRowData, errors, customRaw);
          else if (job.kind === "contacts") planner.planContact(result.data as ContactRowData, rowNumber, errors, customRaw);
          else planner.planCompany(result.data as CompanyRowData, rowNumber, errors, customRaw);
        });
      } else if (result.data && job.kind === "deals") {
        // Already refused: its stage, owner and parties are still checked so the report lists every problem at
        // once (whatever this plans is taken back, since the row has errors).
        planner.planRow(errors, () => planner.planDeal(result.data as DealRowData, errors, customRaw));
      }
      if (errors.length) batchErrors.push({ rowNumber, errors });
    }
    refusedCount += batchErrors.length;
    if (mode === "validate") {
      await planner.flush(db, false);
      await storeRowErrors(db, scope, batchErrors);
    } else {
      // All or nothing: after the first refused row nothing more is written (the transaction will roll back),
      // but every row is still checked so the error report is complete.
      if (batchErrors.length && !job.options.skipInvalid) writing = false;
      refused.push(...batchErrors);
      await planner.flush(db, writing);
    }
    processed += batch.length;
    await onProgress(processed);
  }
  if (mode === "execute") {
    if (!writing) throw new ImportRefused(refused);
    await storeRowErrors(db, scope, refused);
    return { summary: planner.finalSummary(), processed, errorRows: refused };
  }
  return { summary: planner.finalSummary(), processed, errorRows: refusedCount };
}
