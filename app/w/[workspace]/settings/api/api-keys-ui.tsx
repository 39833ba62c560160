"use client";

import { useActionState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Copy } from "lucide-react";
import { FormMessage, SubmitButton, TextField, useErrorText } from "../../../../_components/form";
import { Button, Input } from "../../../../_components/ui";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export function CreateApiKeyForm({ slug }: { slug: string }) {
  const t = useTranslations("api");
  const [state, action] = useActionState(createApiKeyAction.bind(null, slug), undefined);
  const created = state?.ok ? (state.data as { token: string; name: string }) : undefined;
  return (
    <div className="space-y-4">
      <form action={action} className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end" noValidate>
        <div className="sm:col-span-2">
          <FormMessage state={state} />
        </div>
        <TextField name="name" label={t("name")} placeholder={t("namePlaceholder")} state={state} required maxLength={80} />
        <SubmitButton>{t("create")}</SubmitButton>
      </form>
      {created ? (
        <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm" role="status">
          <p className="mb-2 font-medium text-emerald-800">{t("createdOnce")}</p>
          <div className="flex gap-2">
            <Input readOnly value={created.token} aria-label={created.name} data-testid="new-api-key" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            <Button type="button" variant="secondary" onClick={() => navigator.clipboard.writeText(created.token).then(() => toast.success(t("copied")))}>
              <Copy className="h-4 w-4" aria-hidden /> {t("copy")}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export function RevokeApiKeyButton({ slug, apiKeyId, name }: { slug: string; apiKeyId: string; name: string }) {
  const t = useTranslations("api");
  const text = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      type="button"
      size="sm"
      variant="danger"
      disabled={pending}
      aria-busy={pending}
      onClick={() => {
        if (!window.confirm(t("revokeConfirm", { name }))) return;
        start(async () => {
          const result = await revokeApiKeyAction(slug, undefined, { apiKeyId });
          if (result.ok) router.refresh();
          else toast.error(text(result.message));
        });
      }}
    >
      {t("revoke")}
    </Button>
  );
}
