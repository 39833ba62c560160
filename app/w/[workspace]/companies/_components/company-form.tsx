"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import type { FieldDef } from "@/lib/custom-fields/values";
import { CustomFieldInput } from "../../../../_components/custom-field-input";
import { FormMessage, SelectField, SubmitButton, TextAreaField, TextField } from "../../../../_components/form";
import { createCompanyAction, updateCompanyAction } from "../actions";

export type CompanyFormValues = {
  id?: string;
  name: string;
  domain: string | null;
  phone: string | null;
  address: string | null;
  ownerId: string | null;
  /** Stored custom values by field key. */
  custom?: Record<string, unknown>;
};

type Props = {
  slug: string;
  /** Present: edit that company (a "saved" toast confirms); absent: create (onSaved gets the new id). */
  company?: CompanyFormValues;
  defaults?: Partial<CompanyFormValues>;
  members: { id: string; name: string }[];
  /** The workspace's active company fields, shown after the built-in ones. */
  customFields?: FieldDef[];
  /** Choices of user fields: the members, plus any former member a stored value still names. */
  fieldMembers?: { id: string; name: string }[];
  /**
   * The member may not give this company to another owner (a colleague's record, without contacts.manageAny): the
   * owner is shown but disabled, so it is not sent and the update keeps it. The server enforces the same rule.
   */
  ownerLocked?: boolean;
  onSaved?: (id: string) => void;
  actions?: React.ReactNode;
};

/** Create / edit form for a company. Errors show inline and the typed values are kept. */
export function CompanyForm({ slug, company, defaults, members, customFields = [], fieldMembers, ownerLocked, onSaved, actions }: Props) {
  const t = useTranslations("companies");
  const action = company ? updateCompanyAction : createCompanyAction;
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
      if (company) toast.success(t("saved"));
      onSaved?.(state.data!.id);
    }
  }, [state, onSaved, company, t]);
  const v = { ...defaults, ...company };

  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
      {company ? <input type="hidden" name="companyId" value={company.id} /> : null}
      <div className="sm:col-span-2 empty:hidden">
        <FormMessage state={state} />
      </div>
      <TextField name="name" label={t("name")} defaultValue={v.name ?? ""} state={state} required autoComplete="off" maxLength={200} className="sm:col-span-2" />
      <TextField name="domain" label={t("domain")} defaultValue={v.domain ?? ""} state={state} autoComplete="off" placeholder="acme.com" hint={t("domainHint")} />
      <TextField name="phone" type="tel" label={t("phone")} defaultValue={v.phone ?? ""} state={state} autoComplete="off" maxLength={50} />
      <TextAreaField name="address" label={t("address")} defaultValue={v.address ?? ""} state={state} rows={3} maxLength={500} className="sm:col-span-2" />
      <SelectField name="ownerId" label={t("owner")} defaultValue={v.ownerId ?? ""} state={state} disabled={ownerLocked} hint={ownerLocked ? t("ownerLocked") : undefined}>
        <option value="">{t("noOwner")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
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
      <div className="flex flex-wrap items-end justify-end gap-2 sm:col-span-2">
        {actions}
        <SubmitButton pendingText={t("saving")}>{company ? t("save") : t("create")}</SubmitButton>
      </div>
    </form>
  );
}
