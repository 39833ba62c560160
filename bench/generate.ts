import { sql } from "drizzle-orm";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";
import { hashPassword } from "@/lib/auth/password";
import { defaultDealSources, defaultLostReasons } from "@/lib/pipelines/defaults";
import { bulkLoadWithoutRollupTriggers } from "@/lib/reports/rollups-maintenance";

/**
 * The benchmark dataset, generated deterministically from a seed: every id is md5(seed, kind, n) and every
 * "random" choice is a hash of (seed, row, purpose), so two runs with one seed produce the same rows on PGlite
 * and on PostgreSQL. Rows are bulk-inserted with INSERT … SELECT over generate_series (one statement per table
 * and pipeline), not through the domain commands — those are what the scenarios measure.
 *
 * Workspaces:
 * - `bench-board`: one pipeline per board size (e.g. 100 / 1,000 / 10,000 open deals, plus 20 % won or lost),
 *   each with 6 stages; deals with contacts, companies, open and done activities and their stage history.
 * - `bench-big`: one 6-stage pipeline with `bigDeals` deals (~5 history events each), contacts, companies,
 *   activities and a single-select custom field "Tier" on deals (for the custom-field filter).
 * Both have the owner BENCH_EMAIL (password BENCH_PASSWORD) and `users` reps.
 */

export const BENCH_EMAIL = "owner@bench.test";
export const BENCH_PASSWORD = "bench-password-1";
export const BASE_TIME = "2026-11-01T00:00:00Z";

export type DatasetSpec = {
  seed: string;
  /** Open deals per board pipeline in bench-board. */
  boardSizes: number[];
  bigDeals: number;
  bigContacts: number;
  bigCompanies: number;
  users: number;
};

export type Dataset = {
  spec: DatasetSpec;
  ownerId: string;
  board: { workspaceId: string; slug: string; pipelines: { size: number; id: string; stageIds: string[] }[] };
  big: { workspaceId: string; slug: string; pipelineId: string; stageIds: string[]; tierOptionIds: string[] };
  counts: Record<string, number>;
};

const STAGES = [
  { name: "Lead in", probability: 10, rottingDays: 14 },
  { name: "Contact made", probability: 20, rottingDays: 14 },
  { name: "Qualified", probability: 35, rottingDays: 21 },
  { name: "Demo", probability: 50, rottingDays: 21 },
  { name: "Proposal", probability: 70, rottingDays: 21 },
  { name: "Negotiation", probability: 90, rottingDays: 30 },
];
const FIRST = ["Ada", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gao", "Hana", "Ivan", "Jia", "Kofi", "Lena", "Mei", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Wei", "Xin", "Yara", "Zoe"];
const LAST = ["Smith", "Wang", "Garcia", "Müller", "Kim", "Rossi", "Dubois", "Silva", "Novak", "Tanaka", "Okafor", "Jensen", "Li", "Khan", "Ivanova", "Cohen", "Lopez", "Berg", "Sato", "Zhang"];
const ORG = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Massive", "Oscorp", "Pied Piper", "Gringotts", "Monarch", "Nakatomi", "Sirius"];
const SUFFIX = ["Labs", "Group", "Systems", "Holdings", "Logistics", "Foods", "Media", "Health", "Energy", "Robotics"];
const DEAL = ["renewal", "expansion", "pilot", "platform", "seats", "onboarding", "support plan", "migration", "analytics", "integration"];
const TIERS = ["Bronze", "Silver", "Gold", "Platinum"];

/** A PostgreSQL array literal for a text/uuid[] parameter (drizzle would expand a JS array into a list). */
const arr = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
/** Deterministic uuid for (seed, kind, n): md5 with the version-4 and variant bits set (ids must pass z.uuid()). */
const idSql = (seed: string, kind: string, n: string) => sql.raw(`overlay(overlay(md5('${seed}:${kind}:' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`);
/** Deterministic non-negative int in [0, 2^31) for (seed, row, purpose). */
const hs = (seed: string, row: string, purpose: string) => `((('x' || substr(md5('${seed}:${purpose}:' || ${row}), 1, 8))::bit(32)::int) & 2147483647)`;
const h = (seed: string, row: string, purpose: string) => sql.raw(hs(seed, row, purpose));

async function scalar<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = rows<Record<string, T>>(await db.execute(query));
  return Object.values(row!)[0] as T;
}

async function insertWorkspace(db: Db, seed: string, slug: string, name: string, userIds: string[]) {
  const workspaceId = await scalar<string>(
    db,
    sql`insert into workspaces (id, slug, name, time_zone, currency, created_at) values (${idSql(seed, "workspace", `'${slug}'`)}, ${slug}, ${name}, 'UTC', 'USD', ${BASE_TIME}::timestamptz - interval '400 days') returning id`,
  );
  await db.execute(sql`insert into memberships (workspace_id, user_id, role, created_at)
    select ${workspaceId}::uuid, u, case when n = 1 then 'owner' else 'rep' end::role, ${BASE_TIME}::timestamptz - interval '400 days'
    from unnest(${arr(userIds)}::uuid[]) with ordinality as t(u, n)`);
  await db.execute(sql`insert into workspace_options (workspace_id, kind, label, position)
    select ${workspaceId}::uuid, 'deal_source'::option_kind, l, n - 1 from unnest(${arr(defaultDealSources)}::text[]) with ordinality as t(l, n)
    union all
    select ${workspaceId}::uuid, 'lost_reason'::option_kind, l, n - 1 from unnest(${arr(defaultLostReasons)}::text[]) with ordinality as t(l, n)`);
  return workspaceId;
}

async function insertPipeline(db: Db, seed: string, workspaceId: string, name: string, position: number) {
  const pipelineId = await scalar<string>(
    db,
    sql`insert into pipelines (id, workspace_id, name, position, created_at) values (${idSql(seed, "pipeline", `'${workspaceId}:${name}'`)}, ${workspaceId}, ${name}, ${position}, ${BASE_TIME}::timestamptz - interval '400 days') returning id`,
  );
  const stageIds = rows<{ id: string }>(
    await db.execute(sql`insert into stages (id, workspace_id, pipeline_id, name, position, probability, rotting_days, created_at)
      select overlay(overlay(md5(${`${seed}:stage:${pipelineId}:`} || n) placing '4' from 13) placing '8' from 17)::uuid, ${workspaceId}::uuid, ${pipelineId}::uuid, s->>'name', n, (s->>'probability')::int, (s->>'rottingDays')::int, ${BASE_TIME}::timestamptz - interval '400 days'
      from jsonb_array_elements(${JSON.stringify(STAGES)}::jsonb) with ordinality as t(s, n)
      returning id`),
  ).map((r) => r.id);
  return { pipelineId, stageIds };
}

async function insertParties(db: Db, seed: string, workspaceId: string, userIds: string[], nContacts: number, nCompanies: number) {
  const prefix = `${seed}:${workspaceId}`;
  await db.execute(sql`insert into companies (id, workspace_id, name, domain, owner_id, created_at, updated_at)
    select ${idSql(prefix, "company", "i")}, ${workspaceId}::uuid,
      (${arr(ORG)}::text[])[1 + ${h(prefix, "i", "org")} % ${ORG.length}] || ' ' || (${arr(SUFFIX)}::text[])[1 + ${h(prefix, "i", "suffix")} % ${SUFFIX.length}] || ' ' || i,
      'company' || i || '.example.test',
      (${arr(userIds)}::uuid[])[1 + ${h(prefix, "i", "cowner")} % ${userIds.length}],
      ${BASE_TIME}::timestamptz - make_interval(days => 30 + ${h(prefix, "i", "cage")} % 700), ${BASE_TIME}::timestamptz
    from generate_series(0, ${nCompanies - 1}) as i`);
  await db.execute(sql`insert into contacts (id, workspace_id, first_name, last_name, email, phone, company_id, owner_id, lifecycle, source, created_at, updated_at)
    select ${idSql(prefix, "contact", "i")}, ${workspaceId}::uuid, f, l, lower(f || '.' || l || '.' || i || '@example.test'), '+1555' || lpad(i::text, 7, '0'),
      case when ${nCompanies} > 0 and ${h(prefix, "i", "hascompany")} % 5 <> 0 then ${idSql(prefix, "company", `(${hs(prefix, "i", "company")} % ${Math.max(nCompanies, 1)})`)} end,
      (${arr(userIds)}::uuid[])[1 + ${h(prefix, "i", "owner")} % ${userIds.length}],
      (array['lead','qualified','customer'])[1 + ${h(prefix, "i", "life")} % 3]::lifecycle,
      (${arr(defaultDealSources)}::text[])[1 + ${h(prefix, "i", "source")} % ${defaultDealSources.length}],
      ${BASE_TIME}::timestamptz - make_interval(days => ${h(prefix, "i", "age")} % 700), ${BASE_TIME}::timestamptz
    from generate_series(0, ${nContacts - 1}) as i,
      lateral (select (${arr(FIRST)}::text[])[1 + ${h(prefix, "i", "first")} % ${FIRST.length}] as f, (${arr(LAST)}::text[])[1 + ${h(prefix, "i", "last")} % ${LAST.length}] as l) as names`);
}

/**
 * Deals of one pipeline with their history: deal i is open when i < nOpen, else won or lost; it reached stage k
 * (0–5) after k steps of `gap` days from its creation; the history has "created" (into stage 0), one
 * "stage_changed" per step, a "value_changed", and "won"/"lost" at close — the deal's stage always equals the
 * stage of its last history event that names one.
 */
async function insertDeals(
  db: Db,
  o: { seed: string; workspaceId: string; pipelineId: string; stageIds: string[]; userIds: string[]; nOpen: number; nClosed: number; nContacts: number; nCompanies: number; tierOptionIds?: string[] },
) {
  const p = `${o.seed}:${o.pipelineId}`;
  const parties = `${o.seed}:${o.workspaceId}`;
  const total = o.nOpen + o.nClosed;
  const tiers = o.tierOptionIds ?? [];
  await db.execute(sql`insert into deals (id, workspace_id, pipeline_id, stage_id, title, value, currency, owner_id, contact_id, company_id, status, lost_reason,
      expected_close_date, source, position, stage_entered_at, closed_at, custom, created_at, updated_at)
    select ${idSql(p, "deal", "i")}, ${o.workspaceId}::uuid, ${o.pipelineId}::uuid, (${arr(o.stageIds)}::uuid[])[k + 1],
      (${arr(ORG)}::text[])[1 + ${h(p, "i", "org")} % ${ORG.length}] || ' ' || (${arr(DEAL)}::text[])[1 + ${h(p, "i", "what")} % ${DEAL.length}] || ' #' || i,
      (5 + ${h(p, "i", "value")} % 500) * 10000, 'USD',
      (${arr(o.userIds)}::uuid[])[1 + ${h(p, "i", "owner")} % ${o.userIds.length}],
      case when ${o.nContacts} > 0 then ${idSql(parties, "contact", `(${hs(p, "i", "contact")} % ${Math.max(o.nContacts, 1)})`)} end,
      case when ${o.nCompanies} > 0 and ${h(p, "i", "hascompany")} % 3 <> 0 then ${idSql(parties, "company", `(${hs(p, "i", "company")} % ${Math.max(o.nCompanies, 1)})`)} end,
      status::deal_status, case when status = 'lost' then (${arr(defaultLostReasons)}::text[])[1 + ${h(p, "i", "reason")} % ${defaultLostReasons.length}] end,
      (created + make_interval(days => (k + 2) * gap))::date,
      (${arr(defaultDealSources)}::text[])[1 + ${h(p, "i", "source")} % ${defaultDealSources.length}],
      i, created + make_interval(days => k * gap), case when status <> 'open' then created + make_interval(days => (k + 1) * gap) end,
      case when ${tiers.length} > 0 then jsonb_build_object('tier', (${arr(tiers.length ? tiers : ["-"])}::text[])[1 + ${h(p, "i", "tier")} % ${Math.max(tiers.length, 1)}]) else '{}'::jsonb end,
      created, created + make_interval(days => k * gap)
    from generate_series(0, ${total - 1}) as i,
      lateral (select ${h(p, "i", "stage")} % 6 as k, 1 + ${h(p, "i", "gap")} % 9 as gap,
        case when i < ${o.nOpen} then 'open' when ${h(p, "i", "won")} % 5 < 3 then 'won' else 'lost' end as status,
        ${BASE_TIME}::timestamptz - make_interval(days => 60 + ${h(p, "i", "age")} % 300, secs => ${h(p, "i", "sec")} % 86400) as created) as r`);

  await db.execute(sql`insert into deal_events (workspace_id, deal_id, type, actor_id, from_stage_id, to_stage_id, data, occurred_at)
    select d.workspace_id, d.id, 'created'::deal_event_type, d.owner_id, null::uuid, s.ids[1], jsonb_build_object('value', d.value, 'currency', d.currency), d.created_at
    from deals d, (select ${arr(o.stageIds)}::uuid[] as ids) s where d.pipeline_id = ${o.pipelineId}
    union all
    select d.workspace_id, d.id, 'stage_changed'::deal_event_type, d.owner_id, s.ids[j], s.ids[j + 1], '{}'::jsonb, d.created_at + (d.stage_entered_at - d.created_at) * j / x.k
    from deals d, (select ${arr(o.stageIds)}::uuid[] as ids) s,
      lateral (select array_position(s.ids, d.stage_id) - 1 as k) x, lateral generate_series(1, x.k) as j
    where d.pipeline_id = ${o.pipelineId} and x.k > 0
    union all
    select d.workspace_id, d.id, 'value_changed'::deal_event_type, d.owner_id, null::uuid, null::uuid, jsonb_build_object('field', 'value', 'from', d.value / 2, 'to', d.value), d.created_at + interval '1 hour'
    from deals d where d.pipeline_id = ${o.pipelineId}
    union all
    select d.workspace_id, d.id, d.status::text::deal_event_type, d.owner_id, null::uuid, d.stage_id,
      case when d.status = 'lost' then jsonb_build_object('reason', d.lost_reason) else jsonb_build_object('value', d.value, 'currency', d.currency) end, d.closed_at
    from deals d where d.pipeline_id = ${o.pipelineId} and d.status <> 'open'`);

  // An open next step on 2 of 3 open deals (some overdue), a done call on every other deal.
  await db.execute(sql`insert into activities (workspace_id, type, subject, due_at, assignee_id, deal_id, contact_id, done_at, created_by, created_at, updated_at)
    select d.workspace_id, (array['call','email','meeting','task'])[1 + ${h(p, "n", "atype")} % 4]::activity_type, 'Follow up: ' || d.title,
      ${BASE_TIME}::timestamptz + make_interval(days => ${h(p, "n", "due")} % 40 - 10, hours => 9 + ${h(p, "n", "hour")} % 8), d.owner_id, d.id, d.contact_id, null, d.owner_id, d.created_at, d.created_at
    from (select d.*, row_number() over (order by d.id) as n from deals d where d.pipeline_id = ${o.pipelineId} and d.status = 'open') d where n % 3 <> 0
    union all
    select d.workspace_id, 'call', 'Intro call: ' || d.title, d.created_at + interval '1 day', d.owner_id, d.id, d.contact_id, d.created_at + interval '1 day', d.owner_id, d.created_at, d.created_at
    from (select d.*, row_number() over (order by d.id) as n from deals d where d.pipeline_id = ${o.pipelineId}) d where n % 2 = 0`);
  return total;
}

async function insertTierField(db: Db, seed: string, workspaceId: string): Promise<string[]> {
  const options = TIERS.map((label, i) => ({ id: `tier${i + 1}-${seed}`.slice(0, 40), label }));
  await db.execute(sql`insert into custom_fields (workspace_id, entity, key, label, type, settings, position)
    values (${workspaceId}::uuid, 'deal', 'tier', 'Tier', 'single_select', ${JSON.stringify({ options })}::jsonb, 0)`);
  return options.map((o) => o.id);
}

/** Creates the whole dataset in an empty, migrated database. Logs progress through `log`. */
export async function generateDataset(db: Db, spec: DatasetSpec, log: (message: string) => void = () => {}): Promise<Dataset> {
  const seed = spec.seed.replace(/[^a-zA-Z0-9-]/g, "");
  const started = performance.now();
  const lap = (what: string) => log(`[generate] ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const userIds = rows<{ id: string }>(
    await db.execute(sql`insert into users (id, email, name, password_hash, time_zone, created_at)
      select ${idSql(seed, "user", "n")}, case when n = 0 then ${BENCH_EMAIL} else 'rep' || n || '@bench.test' end,
        case when n = 0 then 'Bench Owner' else (${arr(FIRST)}::text[])[1 + n % ${FIRST.length}] || ' ' || (${arr(LAST)}::text[])[1 + n % ${LAST.length}] end,
        ${passwordHash}, 'UTC', ${BASE_TIME}::timestamptz - interval '400 days'
      from generate_series(0, ${spec.users}) as n order by n returning id`),
  ).map((r) => r.id);
  const ownerId = userIds[0]!;

  // The review's rollup triggers are off during the bulk load; the rollups are rebuilt once after it
  // (set-based, seconds instead of minutes of per-statement upkeep; lib/reports/rollups.ts).
  const { boardWs, boardPipelines, bigWs, tierOptionIds, big } = await bulkLoadWithoutRollupTriggers(db, async () => {
    const boardWs = await insertWorkspace(db, seed, "bench-board", "Bench board", userIds);
    const boardContacts = 2_000;
    const boardCompanies = 500;
    await insertParties(db, seed, boardWs, userIds, boardContacts, boardCompanies);
    const boardPipelines: Dataset["board"]["pipelines"] = [];
    for (const [index, size] of spec.boardSizes.entries()) {
      const { pipelineId, stageIds } = await insertPipeline(db, seed, boardWs, `Board ${size.toLocaleString("en-US")}`, index);
      await insertDeals(db, { seed, workspaceId: boardWs, pipelineId, stageIds, userIds, nOpen: size, nClosed: Math.round(size / 5), nContacts: boardContacts, nCompanies: boardCompanies });
      boardPipelines.push({ size, id: pipelineId, stageIds });
      lap(`board pipeline with ${size} open deals`);
    }

    const bigWs = await insertWorkspace(db, seed, "bench-big", "Bench big", userIds);
    await insertParties(db, seed, bigWs, userIds, spec.bigContacts, spec.bigCompanies);
    lap(`${spec.bigContacts} contacts, ${spec.bigCompanies} companies`);
    const tierOptionIds = await insertTierField(db, seed, bigWs);
    const big = await insertPipeline(db, seed, bigWs, "Sales", 0);
    const nOpen = Math.round(spec.bigDeals * 0.6);
    await insertDeals(db, { seed, workspaceId: bigWs, pipelineId: big.pipelineId, stageIds: big.stageIds, userIds, nOpen, nClosed: spec.bigDeals - nOpen, nContacts: spec.bigContacts, nCompanies: spec.bigCompanies, tierOptionIds });
    lap(`${spec.bigDeals} deals in bench-big`);
    return { boardWs, boardPipelines, bigWs, tierOptionIds, big };
  });
  lap("review rollups rebuilt");
  // As after any bulk load (and as autovacuum would do on PostgreSQL): statistics and the visibility map.
  await db.execute(sql`vacuum analyze`);

  const counts: Record<string, number> = {};
  for (const table of ["users", "workspaces", "pipelines", "stages", "deals", "deal_events", "contacts", "companies", "activities"]) {
    counts[table] = Number(await scalar<number>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`));
  }
  counts.big_deals = Number(await scalar<number>(db, sql`select count(*)::int from deals where workspace_id = ${bigWs}`));
  counts.big_deal_events = Number(await scalar<number>(db, sql`select count(*)::int from deal_events where workspace_id = ${bigWs}`));
  lap(`done: ${JSON.stringify(counts)}`);
  return {
    spec,
    ownerId,
    board: { workspaceId: boardWs, slug: "bench-board", pipelines: boardPipelines },
    big: { workspaceId: bigWs, slug: "bench-big", pipelineId: big.pipelineId, stageIds: big.stageIds, tierOptionIds },
    counts,
  };
}
