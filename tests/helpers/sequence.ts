import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { memberships, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import { authorizeMember } from "@/lib/auth/membership";
import { enrollContact, saveSequence } from "@/lib/sequences/commands";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { createWorkspace } from "@/lib/workspaces/commands";

/**
 * Sequence setups shared by the integration tests, the chaos tests and the sequence bench (bench/children/sequences.ts
 * imports this file under `node --import tsx`: keep it free of Vitest).
 */

/**
 * A one-email sequence as saveSequence takes it: the email goes out at once, the window is always open, 5,000 a
 * day per sender, it stops on unsubscribe and bounce only. `overrides` replace any field (window, limit, …).
 */
export function oneEmailSequence(email: { name: string; subject: string; body: string }, overrides: Record<string, unknown> = {}) {
  return saveSequenceSchema.parse({
    name: email.name,
    windowDays: [1, 2, 3, 4, 5, 6, 7],
    windowStartMinute: 0,
    windowEndMinute: 1440,
    dailyLimit: 5000,
    stopOnMeeting: false,
    stopOnDealWon: false,
    stopOnDealLost: false,
    stopOnUnsubscribe: true,
    stopOnBounce: true,
    stopCompanyOnReply: false,
    autoReplyPauseDays: 3,
    steps: [{ kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: email.subject, body: email.body }] }],
    ...overrides,
  });
}

export type EnrolledSequenceOptions = {
  /** Senders: the first owns the workspace, the others are reps; contact i is owned by sender i % senders. Default 2. */
  senders?: number;
  /** Domain of the senders' and the recipients' addresses. Default "sequence.test". */
  domain?: string;
  /** Recipient i is `<recipientPrefix><i>@<domain>`. Default `<tag>-`. */
  recipientPrefix?: string;
  /** Sender i is `<senderEmail(i)>`. Default `sender<i>-<tag>-<random>@<domain>`. */
  senderEmail?: (i: number) => string;
  /** The workspace's name (and the sequence's, unless `sequenceName`). Default `Sequence <tag>`. */
  name?: string;
  sequenceName?: string;
  subject?: string;
  body?: string;
};

/**
 * A new workspace with `n` contacts enrolled (at `now`, in one transaction) in a one-email sequence whose sending
 * window is always open (oneEmailSequence): after the enrolment, the job engine renders one message per contact
 * into the outbox (sequence-step) and sends it over SMTP (sequence-deliver). Recipients are
 * `<tag>-<i>@<domain>` unless `recipientPrefix` says otherwise; contacts are enrolled in the order of their address.
 */
export async function enrolledSequence(db: Db, n: number, tag: string, now: Date, options: EnrolledSequenceOptions = {}) {
  const {
    senders: k = 2,
    domain = "sequence.test",
    recipientPrefix = `${tag}-`,
    senderEmail = (i: number) => `sender${i}-${tag}-${randomUUID().slice(0, 6)}@${domain}`,
    name = `Sequence ${tag}`,
    sequenceName = name,
    subject = "Hello {{contact.first_name}}",
    body = "Hi {{contact.first_name}},\n\nA question about your pipeline.\n",
  } = options;
  const senders = await db
    .insert(users)
    .values(Array.from({ length: k }, (_, i) => ({ email: senderEmail(i), name: `Sender ${i}` })))
    .returning({ id: users.id });
  const ws = await db.transaction((tx) => createWorkspace(tx, senders[0]!.id, { name }, now));
  if (k > 1) await db.insert(memberships).values(senders.slice(1).map((s) => ({ workspaceId: ws.id, userId: s.id, role: "rep" as const })));
  const ctx = await authorizeMember(db, senders[0]!.id, ws.slug, "sequences.manage", now);
  await db.execute(sql`insert into contacts (workspace_id, first_name, last_name, email, owner_id, time_zone)
    select ${ws.id}::uuid, 'Prospect', 'No. ' || i, ${recipientPrefix}::text || i || ${`@${domain}`}::text, (${`{${senders.map((s) => s.id).join(",")}}`}::uuid[])[1 + i % ${k}], 'UTC'
    from generate_series(0, ${n - 1}) as i`);
  const { id: sequenceId } = await saveSequence(ctx, oneEmailSequence({ name: sequenceName, subject, body }));
  const ids = rows<{ id: string }>(await db.execute(sql`select id from contacts where workspace_id = ${ws.id} order by email`));
  await db.transaction(async (tx) => {
    for (const c of ids) {
      const r = await enrollContact(tx, { workspaceId: ws.id, userId: ctx.userId, now, role: ctx.role, workspace: ctx.workspace }, { sequenceId, contactId: c.id });
      if (!r.ok) throw new Error(`enrolment refused: ${r.reason}`);
    }
  });
  return { workspaceId: ws.id, sequenceId, recipients: Array.from({ length: n }, (_, i) => `${recipientPrefix}${i}@${domain}`) };
}

/** The outbox of a workspace: one row per rendered message, in the order of the recipients' addresses. */
export async function outbox(db: Db, workspaceId: string) {
  return rows<{ id: string; to_address: string; status: string; attempts: number; last_error: string | null; message_id_header: string }>(
    await db.execute(sql`select id, to_address, status::text as status, attempts, last_error, message_id_header from messages where workspace_id = ${workspaceId} order by to_address`),
  );
}
