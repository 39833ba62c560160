"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import { webhookEvents } from "@/lib/webhooks/events";
import { FormMessage, SubmitButton, TextField, useErrorText } from "../../../../_components/form";
import { Button } from "../../../../_components/ui";
import { createWebhookAction, deleteWebhookAction, rotateWebhookSecretAction, setWebhookEnabledAction, updateWebhookAction } from "./actions";

function EventChoices({ selected, errors }: { selected: string[]; errors?: string[] }) {
  const t = useTranslations("webhooks");
  const text = useErrorText();
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-zinc-700">{t("events")}</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {webhookEvents.map((event) => (
          <label key={event} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="events" value={event} defaultChecked={selected.includes(event)} className="h-4 w-4 rounded border-zinc-300" />
            <span>{t(`event.${event.replace(".", "_")}` as "event.deal_created")}</span>
            <code className="text-xs text-zinc-400">{event}</code>
          </label>
        ))}
      </div>
      {errors?.length ? <p className="text-sm text-red-600">{errors.map(text).join(" ")}</p> : null}
    </fieldset>
  );
}

export function WebhookForm({ slug, subscription }: { slug: string; subscription?: { id: string; url: string; events: string[] } }) {
  const t = useTranslations("webhooks");
  const action = (subscription ? updateWebhookAction : createWebhookAction) as (slug: string, prev: ActionState | undefined, raw: unknown) => Promise<ActionState>;
  const [state, formAction] = useActionState(action.bind(null, slug), undefined);
  const formRef = useRef<HTMLFormElement>(null);
  const router = useRouter();
  const handled = useRef<unknown>(undefined);
  useEffect(() => {
    // once per answer: refreshing re-renders this form with the same state
    if (state?.ok && handled.current !== state) {
      handled.current = state;
      toast.success(t("saved"));
      if (!subscription) formRef.current?.reset();
      router.refresh();
    }
  }, [state, subscription, router, t]);
  return (
    <form ref={formRef} action={formAction} className="space-y-4" noValidate>
      <FormMessage state={state} />
      {subscription ? <input type="hidden" name="subscriptionId" value={subscription.id} /> : null}
      <TextField name="url" type="url" label={t("url")} placeholder="https://example.com/pipewise" defaultValue={subscription?.url} state={state} required />
      <EventChoices selected={subscription?.events ?? ["deal.created", "deal.won"]} errors={state && !state.ok ? state.fieldErrors?.events : undefined} />
      <SubmitButton>{subscription ? t("save") : t("add")}</SubmitButton>
    </form>
  );
}

export function WebhookControls({ slug, id, enabled, url }: { slug: string; id: string; enabled: boolean; url: string }) {
  const t = useTranslations("webhooks");
  const text = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<{ ok: boolean; message?: string }>) =>
    start(async () => {
      const result = await fn();
      if (result.ok) router.refresh();
      else toast.error(text(result.message ?? "errors.invalid"));
    });
  return (
    <div className="flex flex-wrap gap-2" aria-busy={pending}>
      <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={() => run(() => setWebhookEnabledAction(slug, undefined, { subscriptionId: id, enabled: !enabled }))}>
        {enabled ? t("disable") : t("enable")}
      </Button>
      <Button
        type="button"
        size="sm"
        variant="secondary"
        disabled={pending}
        onClick={() => {
          if (window.confirm(t("rotateConfirm"))) run(() => rotateWebhookSecretAction(slug, undefined, { subscriptionId: id }));
        }}
      >
        {t("rotate")}
      </Button>
      <Button
        type="button"
        size="sm"
        variant="danger"
        disabled={pending}
        onClick={() => {
          if (window.confirm(t("deleteConfirm", { url }))) run(() => deleteWebhookAction(slug, undefined, { subscriptionId: id }));
        }}
      >
        {t("delete")}
      </Button>
    </div>
  );
}

export function SecretField({ secret }: { secret: string }) {
  const t = useTranslations("webhooks");
  const [shown, setShown] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs">
      <span className="text-zinc-500">{t("secret")}:</span>
      <code className="rounded bg-zinc-100 px-1.5 py-0.5 break-all">{shown ? secret : "whsec_••••••••"}</code>
      <button type="button" className="text-brand-700 hover:underline" onClick={() => setShown((v) => !v)} aria-pressed={shown}>
        {shown ? t("hide") : t("show")}
      </button>
      {shown ? (
        <button type="button" className="text-brand-700 hover:underline" onClick={() => navigator.clipboard.writeText(secret).then(() => toast.success(t("copied")))}>
          {t("copy")}
        </button>
      ) : null}
    </div>
  );
}
