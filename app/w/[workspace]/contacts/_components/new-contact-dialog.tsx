"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { FieldDef } from "@/lib/custom-fields/values";
import { toast } from "sonner";
import { Plus } from "lucide-react";
import { ContactForm, type ContactFormValues } from "./contact-form";
import { DialogCancel, FormDialog } from "./form-dialog";

/** "New contact" button + modal form; after saving, a toast offers to open the new contact. */
export function NewContactDialog({
  slug,
  members,
  sources,
  customFields,
  defaults,
  label,
  variant,
}: {
  slug: string;
  members: { id: string; name: string }[];
  sources: string[];
  customFields?: FieldDef[];
  defaults?: Partial<ContactFormValues>;
  label?: string;
  variant?: "primary" | "secondary";
}) {
  const t = useTranslations("contacts");
  const router = useRouter();
  return (
    <FormDialog
      variant={variant}
      trigger={
        <>
          <Plus className="h-4 w-4" aria-hidden /> {label ?? t("new")}
        </>
      }
      title={t("newTitle")}
      closeLabel={t("close")}
    >
      {(close) => (
        <ContactForm
          slug={slug}
          members={members}
          sources={sources}
          customFields={customFields}
          defaults={defaults}
          actions={<DialogCancel label={t("cancel")} />}
          onSaved={(id) => {
            close();
            toast.success(t("created"), { action: { label: t("open"), onClick: () => router.push(`/w/${slug}/contacts/${id}`) } });
          }}
        />
      )}
    </FormDialog>
  );
}
