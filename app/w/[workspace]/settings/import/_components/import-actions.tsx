"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { toast } from "sonner";
import { RotateCcw } from "lucide-react";
import { useErrorText } from "../../../../../_components/form";
import { Button } from "../../../../../_components/ui";
import { discardImportAction, revertImportAction, saveMappingAction, startImportAction } from "../actions";

/** Step 3: start the import — when rows are refused, only once the user chose to leave them out. */
export function StartImport({ slug, importId, okRows, refusedRows }: { slug: string; importId: string; okRows: number; refusedRows: number }) {
  const t = useTranslations("imports.preview");
  const errorText = useErrorText();
  const router = useRouter();
  const [skip, setSkip] = useState(false);
  const [pending, start] = useTransition();
  const blocked = refusedRows > 0 && !skip;
  return (
    <div className="space-y-3">
      {refusedRows > 0 ? (
        <label className="flex items-start gap-2 text-sm text-zinc-700">
          <input type="checkbox" checked={skip} onChange={(e) => setSkip(e.target.checked)} className="mt-0.5 h-4 w-4 rounded border-zinc-300 accent-brand-600" />
          <span>{t("skipInvalid")}</span>
        </label>
      ) : null}
      <Button
        disabled={blocked || pending || okRows === 0}
        aria-busy={pending}
        onClick={() =>
          start(async () => {
            const result = await startImportAction(slug, undefined, { importId, skipInvalid: skip });
            if (!result.ok) return void toast.error(errorText(result.message));
            if (result.data?.background) toast.success(t("started"));
            router.refresh();
          })
        }
      >
        {pending ? t("importing2") : t("import", { count: okRows })}
      </Button>
    </div>
  );
}

/** "Check the rows again" with the mapping and options already chosen (after a failed or interrupted run). */
export function CheckAgain({ slug, importId, mapping, options }: { slug: string; importId: string; mapping: (string | null)[]; options: { createMissing: boolean; updateExisting: boolean; dateFormat: string } }) {
  const t = useTranslations("imports.preview");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await saveMappingAction(slug, undefined, { importId, mapping, ...options });
          if (!result.ok) return void toast.error(errorText(result.message));
          router.refresh();
        })
      }
    >
      {t("checkAgain")}
    </Button>
  );
}

/** Drops an upload that was not imported, after a confirmation. */
export function DiscardImport({ slug, importId }: { slug: string; importId: string }) {
  const t = useTranslations("imports.preview");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="ghost"
      disabled={pending}
      onClick={() => {
        if (!window.confirm(t("discardConfirm"))) return;
        start(async () => {
          const result = await discardImportAction(slug, undefined, { importId });
          if (!result.ok) return void toast.error(errorText(result.message));
          toast.success(t("discarded"));
          router.push(`/w/${slug}/settings/import`);
        });
      }}
    >
      {t("discard")}
    </Button>
  );
}

/** Reverts a completed import after a confirmation that says what will go. */
export function RevertImport({ slug, importId, size = "md" }: { slug: string; importId: string; size?: "sm" | "md" }) {
  const t = useTranslations("imports.history");
  const errorText = useErrorText();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button variant="secondary" size={size}>
          <RotateCcw className="h-4 w-4" aria-hidden />
          {t("revert")}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-base font-semibold">{t("revertTitle")}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-zinc-600">{t("revertText")}</Dialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
              {t("cancel")}
            </Button>
            <Button
              variant="danger"
              disabled={pending}
              aria-busy={pending}
              onClick={() =>
                start(async () => {
                  const result = await revertImportAction(slug, undefined, { importId });
                  if (!result.ok) return void toast.error(errorText(result.message));
                  setOpen(false);
                  toast.success(t("reverted", { deals: result.data!.deleted.deals, contacts: result.data!.deleted.contacts, companies: result.data!.deleted.companies }));
                  router.refresh();
                })
              }
            >
              {pending ? t("reverting") : t("revertConfirm")}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
