/**
 * POST /api/cron/tick — runs the automation engine's due jobs: domain events dispatched to workflows, workflow
 * steps, reminders and housekeeping. GET does the same, for schedulers that only send GET (Vercel cron).
 * How often: every minute from an external scheduler (system cron, Kubernetes CronJob, Vercel cron; see
 * docs/operations.md). The embedded default (`npm start`) also ticks itself every few seconds.
 * Auth: `Authorization: Bearer $CRON_SECRET` (401 otherwise; 503 while CRON_SECRET is unset).
 * Idempotency: jobs are claimed with FOR UPDATE SKIP LOCKED under a lease and every effect has a unique key,
 * so overlapping ticks from several instances, or a repeated call, never run an effect twice.
 * Partial failure: a failing job is retried with exponential backoff and shown under Automations → Failed jobs
 * once its attempts are used up; the other jobs still run, and the response reports the counts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { checkCronAuth } from "@/lib/jobs/cron-auth";
import { tick } from "@/lib/jobs/tick";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest) {
  const authorized = checkCronAuth(request.headers.get("authorization"), process.env);
  if (!authorized.ok) {
    return NextResponse.json({ error: authorized.error }, { status: authorized.status, headers: authorized.status === 401 ? { "WWW-Authenticate": "Bearer" } : {} });
  }
  const started = Date.now();
  const stats = await tick(await getDb(), new Date());
  return NextResponse.json({ ok: true, ...stats, ms: Date.now() - started });
}

export const GET = POST;
