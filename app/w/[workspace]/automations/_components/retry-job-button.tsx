"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { RotateCcw } from "lucide-react";
import { useErrorText } from "../../../../_components/form";
import { Button } from "../../../../_components/ui";
import { retryJobAction } from "../actions";

export function RetryJobButton({ slug, jobId }: { slug: string; jobId: number }) {
  const t = useTranslations("jobs");
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
          const result = await retryJobAction(slug, undefined, { jobId });
          if (result.ok) {
            toast.success(t("retried"));
            router.refresh();
          } else toast.error(errorText(result.message));
        })
      }
    >
      <RotateCcw className="h-4 w-4" aria-hidden /> {t("retry")}
    </Button>
  );
}
