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
 * A workspace with `n` contacts enrolled in a one-email sequence whose sending window is always open (as the
 * sequence bench sets it up): after the enrolment, the job engine renders one message per contact into the
 * outbox (sequence-step) and sends it over SMTP (sequence-deliver). Recipients are `<tag>-<i>@chaos.test`.
 */
export async function enrolledSequence(db: Db, n: number, tag: string, now: Date) {
  const [owner, rep] = await db
    .insert(users)
    .values([0, 1].map((i) => ({ email: `sender${i}-${tag}-${randomUUID().slice(0, 6)}@chaos.test`, name: `Sender ${i}` })))
    .returning({ id: users.id });
  const ws = await db.transaction((tx) => createWorkspace(tx, owner!.id, { name: `Chaos ${tag}` }, now));
  await db.insert(memberships).values({ workspaceId: ws.id, userId: rep!.id, role: "rep" });
  const ctx = await authorizeMember(db, owner!.id, ws.slug, "sequences.manage", now);
  await db.execute(sql`insert into contacts (workspace_id, first_name, last_name, email, owner_id, time_zone)
    select ${ws.id}::uuid, 'Prospect', 'No. ' || i, ${tag} || '-' || i || '@chaos.test', case when i % 2 = 0 then ${owner!.id}::uuid else ${rep!.id}::uuid end, 'UTC'
    from generate_series(0, ${n - 1}) as i`);
  const { id: sequenceId } = await saveSequence(
    ctx,
    saveSequenceSchema.parse({
      name: `Chaos ${tag}`,
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
      steps: [{ kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: "Hello {{contact.first_name}}", body: "Hi {{contact.first_name}},\n\nA question about your pipeline.\n" }] }],
    }),
  );
  const ids = rows<{ id: string }>(await db.execute(sql`select id from contacts where workspace_id = ${ws.id} order by email`));
  await db.transaction(async (tx) => {
    for (const c of ids) {
      const r = await enrollContact(tx, { workspaceId: ws.id, userId: ctx.userId, now, role: ctx.role, workspace: ctx.workspace }, { sequenceId, contactId: c.id });
      if (!r.ok) throw new Error(`enrolment refused: ${r.reason}`);
    }
  });
  return { workspaceId: ws.id, sequenceId, recipients: Array.from({ length: n }, (_, i) => `${tag}-${i}@chaos.test`) };
}

/** The outbox of a workspace: one row per rendered message. */
export async function outbox(db: Db, workspaceId: string) {
  return rows<{ id: string; to_address: string; status: string; attempts: number; last_error: string | null; message_id_header: string }>(
    await db.execute(sql`select id, to_address, status::text as status, attempts, last_error, message_id_header from messages where workspace_id = ${workspaceId} order by to_address`),
  );
}
