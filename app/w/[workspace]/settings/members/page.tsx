import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { can, roleRank } from "@/lib/auth/permissions";
import { listMembers, listPendingInvitations } from "@/lib/workspaces/queries";
import { Card } from "../../../../_components/ui";
import { InviteForm, LeaveButton, MemberRow, PendingInvitation } from "./members-ui";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("settings"))("members"));
}

export default async function MembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "members.read");
  const manage = can(ctx.role, "members.manage");
  const [members, pending] = await Promise.all([listMembers(ctx), manage ? listPendingInvitations(ctx) : Promise.resolve([])]);
  const t = await getTranslations("members");
  const assignable = (["owner", "admin", "manager", "rep"] as const).filter((r) => roleRank[r] <= roleRank[ctx.role]);
  return (
    <div className="space-y-6">
      {manage ? (
        <Card className="p-6">
          <h2 className="mb-4 text-base font-semibold">{t("inviteTitle")}</h2>
          <InviteForm slug={workspace} roles={assignable} />
        </Card>
      ) : null}
      <Card>
        <h2 className="border-b border-zinc-200 px-6 py-4 text-base font-semibold">{t("listTitle", { count: members.length })}</h2>
        <ul className="divide-y divide-zinc-100">
          {members.map((m) => (
            <MemberRow
              key={m.userId}
              slug={workspace}
              member={{ userId: m.userId, name: m.name, email: m.email, role: m.role }}
              isSelf={m.userId === ctx.userId}
              canManage={manage && m.userId !== ctx.userId && roleRank[m.role] <= roleRank[ctx.role]}
              roles={assignable}
            />
          ))}
        </ul>
      </Card>
      {pending.length > 0 ? (
        <Card>
          <h2 className="border-b border-zinc-200 px-6 py-4 text-base font-semibold">{t("pendingTitle")}</h2>
          <ul className="divide-y divide-zinc-100">
            {pending.map((inv) => (
              <PendingInvitation key={inv.id} slug={workspace} invitation={{ id: inv.id, email: inv.email, role: inv.role }} />
            ))}
          </ul>
        </Card>
      ) : null}
      <div className="flex justify-end">
        <LeaveButton slug={workspace} />
      </div>
    </div>
  );
}
