import "server-only";
import { and, eq } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { memberships, reportSubscriptions, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { appUrl } from "../app-url";
import { authorizeMember } from "../auth/membership";
import { AppError } from "../errors";
import { BOTTLENECK_MIN_OPEN } from "./math";
import { enqueueJobs, type NewJob } from "../jobs/enqueue";
import type { JobHandlers } from "../jobs/types";
import { localDate, safeTimeZone } from "../activities/time";
import type { Locale } from "../i18n/locale";
import enMessages from "../i18n/messages/en/reports.json";
import zhMessages from "../i18n/messages/zh-CN/reports.json";
import { sendMail, type OutgoingMail, type SendResult } from "../mail/send";
import { collect } from "../spreadsheets/write";
import { formatMoney } from "../format";
import { writeReviewXlsx, type ReportsTranslate } from "./export";
import { takeForecastSnapshot } from "./forecast";
import { addMonths, monthOf, monthPeriod, periodParams } from "./period";
import { pipelineReview, type PipelineReview } from "./review";

/*
 * Month-start work, in the three layers of scheduled work (STYLE.md):
 *  - what is due: packDue(now, tz) — the first PACK_WINDOW_DAYS local days of a month send last month's pack;
 *  - the runner: runMonthStart(db, now) — per workspace, keep the forecast snapshot of the local month (on its
 *    first local day; written once: takeForecastSnapshot skips a month that has one) and enqueue one "report-pack" job per subscriber with
 *    the idempotency key report-pack:<workspace>:<user>:<month>, so every tick of those days adds nothing new;
 *  - the job: sendPack — the review of that month for that member (their visibility), emailed with the XLSX.
 * A crash between the SMTP accept and the job's "done" may send one pack twice; nothing else repeats.
 */

/** The pack of last month is sent during the first days of the month (so an outage on the 1st delays, never skips). */
export const PACK_WINDOW_DAYS = 7;

/**
 * The forecast snapshot is taken during the first local day of a month only: a snapshot taken later (the
 * workspace is new, or the 1st's runs all failed) would be compared with the month's wins as if it had been the
 * forecast at its start. Such a month has no accuracy line rather than a misleading one.
 */
export const SNAPSHOT_WINDOW_DAYS = 1;

/** Whether `now` is within the snapshot window of its local month. Pure. */
export function snapshotDue(now: Date, tz: string): boolean {
  return Number(localDate(now, safeTimeZone(tz)).slice(8, 10)) <= SNAPSHOT_WINDOW_DAYS;
}

/** The month whose pack is due at `now` in a zone ("YYYY-MM"), or null outside the window. Pure. */
export function packDue(now: Date, tz: string): string | null {
  const day = Number(localDate(now, safeTimeZone(tz)).slice(8, 10));
  if (day > PACK_WINDOW_DAYS) return null;
  return addMonths(monthOf(now, tz), -1);
}

export async function runMonthStart(db: Db, now: Date): Promise<{ snapshots: number; packs: number }> {
  const list = await db.select({ id: workspaces.id, timeZone: workspaces.timeZone }).from(workspaces);
  let snapshots = 0;
  const jobs: NewJob[] = [];
  for (const w of list) {
    if (snapshotDue(now, w.timeZone)) snapshots += await takeForecastSnapshot(db, w, now);
    const month = packDue(now, w.timeZone);
    if (!month) continue;
    const subscribers = await db
      .select({ userId: reportSubscriptions.userId })
      .from(reportSubscriptions)
      .innerJoin(memberships, and(eq(memberships.workspaceId, reportSubscriptions.workspaceId), eq(memberships.userId, reportSubscriptions.userId)))
      .where(eq(reportSubscriptions.workspaceId, w.id));
    for (const s of subscribers) {
      jobs.push({
        kind: "report-pack",
        workspaceId: w.id,
        runAt: now,
        payload: { workspaceId: w.id, userId: s.userId, month },
        idempotencyKey: `report-pack:${w.id}:${s.userId}:${month}`,
        maxAttempts: 3,
      });
    }
  }
  const added = await enqueueJobs(db, jobs);
  return { snapshots, packs: added.length };
}

const catalogs = { en: enMessages, "zh-CN": zhMessages } as const;

/** The pack email (plain text; figures only, user-typed names appear as text) with the review attached. */
export function renderPack(r: PipelineReview, d: { locale: Locale; name: string; workspaceName: string; slug: string }, attachment: Buffer): Omit<OutgoingMail, "to"> {
  const t = createTranslator({ locale: d.locale, messages: { reports: catalogs[d.locale] ?? catalogs.en }, namespace: "reports" }) as unknown as ReportsTranslate;
  const pct = new Intl.NumberFormat(d.locale, { style: "percent", maximumFractionDigits: 1 });
  const num = new Intl.NumberFormat(d.locale, { maximumFractionDigits: 1 });
  const show = (key: string, v: number | null) => {
    if (v === null) return "—";
    if (["wonRevenue", "averageDealSize", "customerLifetimeValue", "salesVelocity"].includes(key)) return formatMoney(Math.round(v), r.currency, d.locale);
    if (key === "winRate" || key === "leadConversion") return pct.format(v);
    return num.format(v);
  };
  const period = t("periodMonth", { month: new Intl.DateTimeFormat(d.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${r.period.key}-15T00:00:00Z`)) });
  const lines = r.kpis.map((k) => `  ${t("mail.line", { label: t(`kpi.${k.key}`), value: show(k.key, k.value), previous: show(k.key, k.previous) })}`);
  const b = r.stages?.bottleneck;
  const openDeals = (r.stages?.funnel ?? []).reduce((sum, s) => sum + s.openDeals, 0);
  // As on the review page: "spread evenly" only when there are enough open deals to compare.
  const bottleneck = b
    ? b.timesLonger !== null && b.timesLonger >= 1
      ? t("funnel.bottleneck", { stage: b.name, share: pct.format(b.share), times: num.format(b.timesLonger) })
      : t("funnel.bottleneckShare", { stage: b.name, share: pct.format(b.share) })
    : openDeals === 0
      ? t("funnel.noOpenDeals")
      : openDeals < BOTTLENECK_MIN_OPEN
        ? t("funnel.fewOpenDeals", { count: openDeals })
        : t("funnel.noBottleneck");
  const url = appUrl(`/w/${d.slug}/reports/review?${new URLSearchParams(periodParams(r.period)).toString()}`);
  const text = [t("mail.greeting", { name: d.name }), "", t("mail.intro", { period }), "", ...lines, "", bottleneck, "", t("mail.link", { url }), "", t("mail.footer", { workspace: d.workspaceName })].join("\n");
  return {
    subject: t("mail.subject", { workspace: d.workspaceName, period }),
    text,
    attachments: [{ filename: `${t("export.fileName")}-${r.period.key}.xlsx`, content: attachment, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }],
  };
}

/**
 * Builds and sends one member's pack for a month. A member who left the workspace or lost the permission gets
 * nothing (the job ends quietly). The review is computed with the member's own context, so a rep limited to
 * their own deals receives only their figures.
 */
export async function sendPack(db: Db, payload: { workspaceId: string; userId: string; month: string }, now: Date, send: (m: OutgoingMail) => Promise<SendResult> = sendMail): Promise<SendResult | null> {
  const [row] = await db
    .select({ slug: workspaces.slug, workspaceName: workspaces.name, email: users.email, name: users.name, locale: users.locale })
    .from(workspaces)
    .innerJoin(users, eq(users.id, payload.userId))
    .where(eq(workspaces.id, payload.workspaceId));
  if (!row) return null;
  let ctx;
  try {
    ctx = await authorizeMember(db, payload.userId, row.slug, "reports.subscribe", now);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
  const review = await pipelineReview(ctx, { period: monthPeriod(payload.month, ctx.workspace.timeZone) });
  const locale = (row.locale ?? "en") as Locale;
  const t = createTranslator({ locale, messages: { reports: catalogs[locale] ?? catalogs.en }, namespace: "reports" }) as unknown as ReportsTranslate;
  const xlsx = await collect((out) => writeReviewXlsx(out, review, t));
  const mail = renderPack(review, { locale, name: row.name, workspaceName: row.workspaceName, slug: row.slug }, xlsx);
  return send({ ...mail, to: row.email });
}

/** Job kinds of the reports: "report-month-start" (hourly, periodic) and "report-pack" (one per member and month). */
export const reportJobHandlers: JobHandlers = {
  "report-month-start": {
    transactional: false,
    async run({ db, now }) {
      await runMonthStart(db, now);
    },
  },
  "report-pack": {
    transactional: false,
    async run({ db, job, now }) {
      await sendPack(db, job.payload as { workspaceId: string; userId: string; month: string }, now);
    },
  },
};
