"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { AlertDialog, DropdownMenu } from "radix-ui";
import { toast } from "sonner";
import { Copy, History, MoreHorizontal, Pencil, Trash2 } from "lucide-react";
import { useErrorText } from "../../../../_components/form";
import { buttonClass } from "../../../../_components/ui";
import { deleteWorkflowAction, duplicateWorkflowAction } from "../actions";

const item = "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-800 outline-none data-[highlighted]:bg-zinc-100";

/** Edit, run log, duplicate and delete (with confirmation) for one workflow. */
export function WorkflowMenu({ slug, workflowId, name }: { slug: string; workflowId: string; name: string }) {
  const t = useTranslations("automations");
  const errorText = useErrorText();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, start] = useTransition();
  const base = `/w/${slug}/automations/${workflowId}`;
  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className={buttonClass("ghost", "sm")} aria-label={`${name}: ${t("edit")}, ${t("runLog")}, ${t("duplicate")}`}>
          <MoreHorizontal className="h-4 w-4" aria-hidden />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-44 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
            <DropdownMenu.Item asChild className={item}>
              <Link href={base}>
                <Pencil className="h-4 w-4" aria-hidden /> {t("edit")}
              </Link>
            </DropdownMenu.Item>
            <DropdownMenu.Item asChild className={item}>
              <Link href={`${base}/runs`}>
                <History className="h-4 w-4" aria-hidden /> {t("runLog")}
              </Link>
            </DropdownMenu.Item>
            <DropdownMenu.Item
              className={item}
              disabled={pending}
              onSelect={() =>
                start(async () => {
                  const result = await duplicateWorkflowAction(slug, undefined, { workflowId, name: t("copyName", { name }).slice(0, 120) });
                  if (result.ok) {
                    toast.success(t("duplicated"));
                    router.refresh();
                  } else toast.error(errorText(result.message));
                })
              }
            >
              <Copy className="h-4 w-4" aria-hidden /> {t("duplicate")}
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
            <DropdownMenu.Item className={`${item} text-red-700`} onSelect={() => setConfirming(true)}>
              <Trash2 className="h-4 w-4" aria-hidden /> {t("confirmDelete")}
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <AlertDialog.Root open={confirming} onOpenChange={setConfirming}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
          <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl">
            <AlertDialog.Title className="text-base font-semibold text-zinc-900">{t("deleteTitle")}</AlertDialog.Title>
            <AlertDialog.Description className="mt-2 text-sm text-zinc-600">{t("deleteText", { name })}</AlertDialog.Description>
            <div className="mt-6 flex justify-end gap-2">
              <AlertDialog.Cancel className={buttonClass("secondary")} disabled={pending}>
                {t("cancel")}
              </AlertDialog.Cancel>
              <button
                type="button"
                className={buttonClass("danger")}
                disabled={pending}
                aria-busy={pending}
                onClick={() =>
                  start(async () => {
                    const result = await deleteWorkflowAction(slug, undefined, { workflowId });
                    if (result.ok) {
                      setConfirming(false);
                      toast.success(t("deleted"));
                      router.refresh();
                    } else toast.error(errorText(result.message));
                  })
                }
              >
                {t("confirmDelete")}
              </button>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </>
  );
}
