"use client";

import { useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import { useErrorText } from "../../../_components/form";
import { Button } from "../../../_components/ui";

/**
 * A small button that runs one server action (bound by the page, e.g. `retryJobAction.bind(null, slug,
 * undefined, { jobId })`), after an optional confirmation; success toasts and refreshes, failure toasts the error.
 */
export function ActionButton({ run, label, success, confirm, icon }: { run: () => Promise<ActionState>; label: string; success: string; confirm?: string; icon?: ReactNode }) {
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={pending}
      aria-busy={pending}
      onClick={() =>
        start(async () => {
          if (confirm && !window.confirm(confirm)) return;
          const result = await run();
          if (result.ok) {
            toast.success(success);
            router.refresh();
          } else toast.error(errorText(result.message));
        })
      }
    >
      {icon}
      {label}
    </Button>
  );
}
