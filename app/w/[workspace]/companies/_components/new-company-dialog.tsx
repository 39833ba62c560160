"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { FieldDef } from "@/lib/custom-fields/values";
import { toast } from "sonner";
import { Plus } from "lucide-react";
import { DialogCancel, FormDialog } from "../../contacts/_components/form-dialog";
import { CompanyForm } from "./company-form";

/** "New company" button + modal form; after saving, a toast offers to open the new company. */
export function NewCompanyDialog({ slug, members, defaultOwnerId, customFields }: { slug: string; members: { id: string; name: string }[]; defaultOwnerId: string; customFields?: FieldDef[] }) {
  const t = useTranslations("companies");
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <>
          <Plus className="h-4 w-4" aria-hidden /> {t("new")}
        </>
      }
      title={t("newTitle")}
      closeLabel={t("close")}
    >
      {(close) => (
        <CompanyForm
          slug={slug}
          members={members}
          customFields={customFields}
          defaults={{ ownerId: defaultOwnerId }}
          actions={<DialogCancel label={t("cancel")} />}
          onSaved={(id) => {
            close();
            toast.success(t("created"), { action: { label: t("open"), onClick: () => router.push(`/w/${slug}/companies/${id}`) } });
          }}
        />
      )}
    </FormDialog>
  );
}
