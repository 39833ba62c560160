"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { TimeZoneDatalist } from "../../../../_components/time-zone-datalist";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import type { FieldDef } from "@/lib/custom-fields/values";
import { CustomFieldInput } from "../../../../_components/custom-field-input";
import { FormMessage, SelectField, SubmitButton, TextField, useErrorText } from "../../../../_components/form";
import { createContactAction, updateContactAction } from "../actions";
import { CompanyPicker } from "./company-picker";

export type ContactFormValues = {
  id?: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  company: { id: string; name: string } | null;
  ownerId: string | null;
  lifecycle: "lead" | "qualified" | "customer";
  source: string | null;
  timeZone: string | null;
  /** Stored custom values by field key. */
  custom?: Record<string, unknown>;
};

type Props = {
  slug: string;
  /** Present: edit that contact (a "saved" toast confirms); absent: create (onSaved gets the new id). */
  contact?: ContactFormValues;
  /** Defaults for a new contact (owner = me, company preset on a company page). */
  defaults?: Partial<ContactFormValues>;
  members: { id: string; name: string }[];
  sources: string[];
  /** The workspace's active contact fields, shown after the built-in ones. */
  customFields?: FieldDef[];
  /** Choices of user fields: the members, plus any former member a stored value still names. */
  fieldMembers?: { id: string; name: string }[];
  /**
   * The member may not give this contact to another owner (a colleague's record, without contacts.manageAny): the
   * owner is shown but disabled, so it is not sent and the update keeps it. The server enforces the same rule.
   */
  ownerLocked?: boolean;
  onSaved?: (id: string) => void;
  /** Extra buttons beside submit (e.g. Cancel in a dialog). */
  actions?: React.ReactNode;
};

/** Create / edit form for a contact. Errors show inline beside their fields and the typed values are kept. */
export function ContactForm({ slug, contact, defaults, members, sources, customFields = [], fieldMembers, ownerLocked, onSaved, actions }: Props) {
  const t = useTranslations("contacts");
  const text = useErrorText();
  const action = contact ? updateContactAction : createContactAction;
  const [state, formAction] = useActionState<ActionState<{ id: string }> | undefined, FormData>(
    (prev, formData) => action(slug, prev, formData),
    undefined,
  );
  // React resets a form after its action runs, and a reset select falls back to its first default rather than
  // the echoed value: each new result remounts the custom inputs so they show what was submitted.
  const [shownState, setShownState] = useState(state);
  const [round, setRound] = useState(0);
  if (shownState !== state) {
    setShownState(state);
    setRound(round + 1);
  }
  const handled = useRef<typeof state>(undefined);
  useEffect(() => {
    if (state?.ok && handled.current !== state) {
      handled.current = state;
      if (contact) toast.success(t("saved"));
      onSaved?.(state.data!.id);
    }
  }, [state, onSaved, contact, t]);

  const v = { ...defaults, ...contact };
  const listId = `${useId()}-sources`;
  const companyErrors = state && !state.ok ? state.fieldErrors?.companyId ?? state.fieldErrors?.newCompanyName : undefined;

  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
      {contact ? <input type="hidden" name="contactId" value={contact.id} /> : null}
      <div className="sm:col-span-2 empty:hidden">
        <FormMessage state={state} />
      </div>
      <TextField name="firstName" label={t("firstName")} defaultValue={v.firstName ?? ""} state={state} required autoComplete="off" maxLength={120} />
      <TextField name="lastName" label={t("lastName")} defaultValue={v.lastName ?? ""} state={state} autoComplete="off" maxLength={120} />
      <TextField name="email" type="email" label={t("email")} defaultValue={v.email ?? ""} state={state} autoComplete="off" maxLength={254} />
      <TextField name="phone" type="tel" label={t("phone")} defaultValue={v.phone ?? ""} state={state} autoComplete="off" maxLength={50} />
      <TextField name="title" label={t("jobTitle")} defaultValue={v.title ?? ""} state={state} autoComplete="off" maxLength={120} />
      <CompanyPicker slug={slug} label={t("company")} defaultValue={v.company ?? null} errors={companyErrors?.map(text)} />
      <SelectField name="ownerId" label={t("owner")} defaultValue={v.ownerId ?? ""} state={state} disabled={ownerLocked} hint={ownerLocked ? t("ownerLocked") : undefined}>
        <option value="">{t("noOwner")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
      <SelectField name="lifecycle" label={t("lifecycleLabel")} defaultValue={v.lifecycle ?? "lead"} state={state}>
        <option value="lead">{t("lifecycle.lead")}</option>
        <option value="qualified">{t("lifecycle.qualified")}</option>
        <option value="customer">{t("lifecycle.customer")}</option>
      </SelectField>
      <TextField name="source" label={t("source")} defaultValue={v.source ?? ""} state={state} list={listId} autoComplete="off" maxLength={80} />
      <TextField name="timeZone" label={t("timeZone")} defaultValue={v.timeZone ?? ""} state={state} list="contact-time-zones" autoComplete="off" hint={t("timeZoneHint")} />
      {customFields.map((f) => (
        <CustomFieldInput
          key={`${f.key}:${round}`}
          field={f}
          value={v.custom?.[f.key]}
          members={fieldMembers ?? members}
          state={state}
          className={f.type === "long_text" || f.type === "multi_select" ? "sm:col-span-2" : undefined}
        />
      ))}
      <datalist id={listId}>
        {sources.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <TimeZoneDatalist id="contact-time-zones" />
      <div className="flex flex-wrap items-center justify-end gap-2 sm:col-span-2">
        {actions}
        <SubmitButton pendingText={t("saving")}>{contact ? t("save") : t("create")}</SubmitButton>
      </div>
    </form>
  );
}
