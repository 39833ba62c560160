"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertDialog } from "radix-ui";
import { toast } from "sonner";
import { Trash2 } from "lucide-react";
import type { ActionState } from "@/lib/actions";
import { useErrorText } from "../../../../_components/form";
import { buttonClass } from "../../../../_components/ui";

/** Delete with a confirmation dialog; on success goes to `afterHref` with a toast, on failure shows why. */
export function DeleteButton({
  run,
  afterHref,
  labels,
}: {
  run: () => Promise<ActionState<unknown>>;
  afterHref: string;
  labels: { trigger: string; title: string; description: string; confirm: string; cancel: string; done: string };
}) {
  const router = useRouter();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger className={buttonClass("secondary")}>
        <Trash2 className="h-4 w-4 text-red-600" aria-hidden /> {labels.trigger}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl">
          <AlertDialog.Title className="text-base font-semibold text-zinc-900">{labels.title}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-zinc-600">{labels.description}</AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass("secondary")} disabled={pending}>
              {labels.cancel}
            </AlertDialog.Cancel>
            <button
              type="button"
              className={buttonClass("danger")}
              disabled={pending}
              aria-busy={pending}
              onClick={() =>
                start(async () => {
                  const result = await run();
                  if (result.ok) {
                    setOpen(false);
                    toast.success(labels.done);
                    router.push(afterHref);
                  } else toast.error(errorText(result.message));
                })
              }
            >
              {labels.confirm}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
