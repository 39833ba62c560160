"use client";

import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Copy } from "lucide-react";
import { initials } from "@/lib/format";
import type { ActionState } from "@/lib/actions";
import { FormMessage, SelectField, SubmitButton, TextField, useErrorText } from "../../../../_components/form";
import { Badge, Button, Input, Select } from "../../../../_components/ui";
import { changeRoleAction, inviteMemberAction, leaveWorkspaceAction, removeMemberAction, revokeInvitationAction } from "../actions";

type Role = "owner" | "admin" | "manager" | "rep";

export function InviteForm({ slug, roles }: { slug: string; roles: readonly Role[] }) {
  const t = useTranslations("members");
  const tr = useTranslations("roles");
  const [state, action] = useActionState(inviteMemberAction.bind(null, slug), undefined);
  const link = state?.ok ? (state.data as { link: string; emailed: boolean }) : undefined;
  return (
    <div className="space-y-4">
      <form action={action} className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end" noValidate>
        <div className="sm:col-span-3"><FormMessage state={state} /></div>
        <TextField name="email" type="email" label={t("email")} state={state} required />
        <SelectField name="role" label={t("role")} defaultValue="rep" state={state}>
          {roles.map((r) => (
            <option key={r} value={r}>{tr(r)}</option>
          ))}
        </SelectField>
        <SubmitButton>{t("invite")}</SubmitButton>
      </form>
      {link ? (
        <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm" role="status">
          <p className="mb-2 text-emerald-800">{link.emailed ? t("invitedEmailed") : t("invitedCopy")}</p>
          <div className="flex gap-2">
            <Input readOnly value={link.link} aria-label={t("invitationLink")} data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
            <Button variant="secondary" onClick={() => navigator.clipboard.writeText(link.link).then(() => toast.success(t("copied")))}>
              <Copy className="h-4 w-4" aria-hidden /> {t("copy")}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function useMemberAction() {
  const router = useRouter();
  const text = useErrorText();
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<ActionState<unknown>>, success?: string, onRefused?: () => void) =>
    start(async () => {
      const result = await fn();
      if (result.ok) {
        if (success) toast.success(success);
        router.refresh();
      } else {
        onRefused?.();
        toast.error(text(result.message));
      }
    });
  return { pending, run };
}

export function MemberRow({ slug, member, isSelf, canManage, roles }: { slug: string; member: { userId: string; name: string; email: string; role: Role }; isSelf: boolean; canManage: boolean; roles: readonly Role[] }) {
  const t = useTranslations("members");
  const tr = useTranslations("roles");
  const { pending, run } = useMemberAction();
  const [role, setRole] = useState(member.role);
  return (
    <li className="flex flex-wrap items-center gap-3 px-6 py-3" aria-busy={pending}>
      <span className="flex h-8 w-8 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700">{initials(member.name)}</span>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium">
          {member.name} {isSelf ? <span className="text-zinc-500">({t("you")})</span> : null}
        </p>
        <p className="truncate text-xs text-zinc-500">{member.email}</p>
      </div>
      {canManage ? (
        <>
          <Select
            aria-label={t("roleOf", { name: member.name })}
            className="w-36"
            value={role}
            disabled={pending}
            onChange={(e) => {
              const next = e.target.value as Role;
              setRole(next);
              run(() => changeRoleAction(slug, undefined, { userId: member.userId, role: next }), t("roleChanged"), () => setRole(member.role));
            }}
          >
            {roles.map((r) => (
              <option key={r} value={r}>{tr(r)}</option>
            ))}
          </Select>
          <Button
            variant="ghost"
            size="sm"
            disabled={pending}
            onClick={() => {
              if (confirm(t("removeConfirm", { name: member.name }))) run(() => removeMemberAction(slug, undefined, { userId: member.userId }), t("removed"));
            }}
          >
            {t("remove")}
          </Button>
        </>
      ) : (
        <Badge>{tr(member.role)}</Badge>
      )}
    </li>
  );
}

export function PendingInvitation({ slug, invitation }: { slug: string; invitation: { id: string; email: string; role: Role } }) {
  const t = useTranslations("members");
  const tr = useTranslations("roles");
  const { pending, run } = useMemberAction();
  return (
    <li className="flex items-center gap-3 px-6 py-3">
      <p className="min-w-0 flex-1 truncate text-sm">{invitation.email}</p>
      <Badge>{tr(invitation.role)}</Badge>
      <Button variant="ghost" size="sm" disabled={pending} onClick={() => run(() => revokeInvitationAction(slug, undefined, { invitationId: invitation.id }))}>
        {t("revoke")}
      </Button>
    </li>
  );
}

export function LeaveButton({ slug }: { slug: string }) {
  const t = useTranslations("members");
  const router = useRouter();
  const text = useErrorText();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={async () => {
        if (!confirm(t("leaveConfirm"))) return;
        setPending(true);
        const result = await leaveWorkspaceAction(slug, undefined, {});
        setPending(false);
        if (result.ok) router.push("/");
        else toast.error(text(result.message));
      }}
    >
      {t("leave")}
    </Button>
  );
}
