"use client";

import { useState, type ReactNode } from "react";
import { Dialog } from "radix-ui";
import { X } from "lucide-react";
import { buttonClass } from "../../../../_components/ui";

/**
 * A "New …" button that opens a form in a modal (full-height sheet on phones). The form is mounted fresh on
 * every opening, so a previous attempt's errors never linger; `children` gets `close` for after a save.
 */
export function FormDialog({
  trigger,
  title,
  description,
  closeLabel,
  variant = "primary",
  children,
}: {
  trigger: ReactNode;
  title: string;
  description?: string;
  closeLabel: string;
  variant?: "primary" | "secondary";
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className={buttonClass(variant)}>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <Dialog.Content
          className="fixed inset-x-0 bottom-0 z-50 max-h-[92dvh] overflow-y-auto rounded-t-xl bg-white p-5 shadow-xl sm:inset-x-auto sm:top-[8vh] sm:bottom-auto sm:left-1/2 sm:w-full sm:max-w-2xl sm:-translate-x-1/2 sm:rounded-xl sm:p-6"
        >
          <div className="mb-5 flex items-start justify-between gap-4">
            <div>
              <Dialog.Title className="text-lg font-semibold text-zinc-900">{title}</Dialog.Title>
              {description ? <Dialog.Description className="mt-1 text-sm text-zinc-500">{description}</Dialog.Description> : <Dialog.Description className="sr-only">{title}</Dialog.Description>}
            </div>
            <Dialog.Close className="-mt-1 -mr-1 rounded p-1.5 text-zinc-500 hover:bg-zinc-100" aria-label={closeLabel}>
              <X className="h-5 w-5" aria-hidden />
            </Dialog.Close>
          </div>
          {open ? children(() => setOpen(false)) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The Cancel button inside a FormDialog's form. */
export function DialogCancel({ label }: { label: string }) {
  return (
    <Dialog.Close type="button" className={buttonClass("secondary")}>
      {label}
    </Dialog.Close>
  );
}
