"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { Button, Input, Select } from "../../../../../_components/ui";

type Props = { open: boolean; title: string; reasons: string[]; onConfirm: (reason: string) => void; onCancel: () => void };

/** Asks why a deal was lost (a workspace pick list, or free text with "Other"); starts fresh each time it opens. */
export function LostReasonDialog(props: Props) {
  return props.open ? <LostReasonForm {...props} /> : null;
}

function LostReasonForm({ open, title, reasons, onConfirm, onCancel }: Props) {
  const t = useTranslations("board");
  const [choice, setChoice] = useState(reasons[0] ?? "");
  const [other, setOther] = useState("");
  const reason = choice === "__other" || reasons.length === 0 ? other.trim() : choice;
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-base font-semibold">{t("lostTitle")}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-500">{t("lostText", { title })}</Dialog.Description>
          <form
            className="mt-4 space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              if (reason) onConfirm(reason);
            }}
          >
            {reasons.length > 0 ? (
              <label className="block space-y-1.5 text-sm font-medium text-zinc-700">
                <span>{t("lostReason")}</span>
                <Select value={choice} onChange={(e) => setChoice(e.target.value)}>
                  {reasons.map((r) => (
                    <option key={r} value={r}>{r}</option>
                  ))}
                  <option value="__other">{t("otherReason")}</option>
                </Select>
              </label>
            ) : null}
            {choice === "__other" || reasons.length === 0 ? (
              <label className="block space-y-1.5 text-sm font-medium text-zinc-700">
                <span>{t("describeReason")}</span>
                <Input value={other} onChange={(e) => setOther(e.target.value)} maxLength={200} autoFocus />
              </label>
            ) : null}
            <div className="flex justify-end gap-2 pt-2">
              <Button variant="secondary" onClick={onCancel}>{t("cancel")}</Button>
              <Button type="submit" variant="danger" disabled={!reason}>{t("markLost")}</Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
