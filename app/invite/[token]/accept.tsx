"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton } from "../../_components/form";
import { acceptInvitationAction } from "./actions";

export function AcceptInvitation({ token, signedInAs }: { token: string; signedInAs: string }) {
  const t = useTranslations("invite");
  const [state, action] = useActionState(acceptInvitationAction, undefined);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <p className="text-sm text-zinc-600">{t("signedInAs", { email: signedInAs })}</p>
      <SubmitButton className="w-full">{t("accept")}</SubmitButton>
    </form>
  );
}
