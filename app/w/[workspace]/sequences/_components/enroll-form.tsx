"use client";

import { useMemo, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button, Input, Select } from "../../../../_components/ui";
import { enrollContactsAction } from "../actions";

type Result = { contactId: string; ok: boolean; reason: string | null };

/**
 * Enrolls contacts: with `contactIds` fixed (contact or deal page) the member picks the sequence; with `choices`
 * (bulk selection on a sequence page) the sequence is fixed and the member ticks contacts.
 */
export function EnrollForm({
  slug,
  sequences,
  contactIds,
  dealId,
  choices,
}: {
  slug: string;
  sequences: { id: string; name: string }[];
  contactIds?: string[];
  dealId?: string | null;
  choices?: { id: string; name: string; email: string | null; unsubscribed: boolean }[];
}) {
  const t = useTranslations("sequences.enroll");
  const te = useTranslations("errors");
  const [pending, start] = useTransition();
  const [sequenceId, setSequenceId] = useState(sequences[0]?.id ?? "");
  const [picked, setPicked] = useState<string[]>([]);
  const [filter, setFilter] = useState("");
  const [results, setResults] = useState<Result[] | null>(null);
  const visible = useMemo(() => (choices ?? []).filter((c) => `${c.name} ${c.email ?? ""}`.toLowerCase().includes(filter.toLowerCase())), [choices, filter]);
  const names = new Map((choices ?? []).map((c) => [c.id, c.name]));
  if (sequences.length === 0) return <p className="text-sm text-zinc-500">{t("noSequences")}</p>;

  function submit() {
    const ids = contactIds ?? picked;
    if (!sequenceId || ids.length === 0) return;
    start(async () => {
      const res = await enrollContactsAction(slug, undefined, { sequenceId, contactIds: ids, dealId: dealId ?? null });
      if (!res.ok) return void toast.error(te(res.message.replace(/^errors\./, "") as "VALIDATION"));
      const list = (res.data ?? []) as Result[];
      setResults(list);
      const ok = list.filter((r) => r.ok).length;
      if (ok) toast.success(t("enrolled", { count: ok }));
      setPicked([]);
    });
  }

  return (
    <div className="space-y-3">
      {choices ? null : (
        <label className="block text-sm">
          <span className="text-zinc-700">{t("sequence")}</span>
          <Select className="mt-1" value={sequenceId} onChange={(e) => setSequenceId(e.target.value)}>
            {sequences.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </label>
      )}
      {choices ? (
        <div className="space-y-2">
          <Input placeholder={t("filter")} aria-label={t("filter")} value={filter} onChange={(e) => setFilter(e.target.value)} />
          <div className="flex gap-2 text-xs">
            <button type="button" className="text-brand-700 hover:underline" onClick={() => setPicked([...new Set([...picked, ...visible.map((c) => c.id)])])}>
              {t("selectAll")}
            </button>
            <button type="button" className="text-zinc-600 hover:underline" onClick={() => setPicked([])}>
              {t("clear")}
            </button>
            <span className="ml-auto text-zinc-500">{t("selected", { count: picked.length })}</span>
          </div>
          <ul className="max-h-64 divide-y divide-zinc-100 overflow-y-auto rounded-md border border-zinc-200">
            {visible.map((c) => (
              <li key={c.id}>
                <label className="flex items-center gap-2 px-3 py-2 text-sm">
                  <input type="checkbox" checked={picked.includes(c.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, c.id] : picked.filter((x) => x !== c.id))} />
                  <span className="min-w-0 flex-1 truncate">{c.name}</span>
                  <span className="truncate text-xs text-zinc-500">{c.unsubscribed ? t("unsubscribedBadge") : (c.email ?? "—")}</span>
                </label>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Button onClick={submit} disabled={pending || (!contactIds && picked.length === 0)}>
        {t("submit")}
      </Button>
      {results?.some((r) => !r.ok) ? (
        <ul className="space-y-1 text-sm text-amber-700" role="status">
          {results
            .filter((r) => !r.ok)
            .map((r) => (
              <li key={r.contactId}>{t("refused", { name: names.get(r.contactId) ?? "", reason: t(`reasons.${r.reason ?? "contact_not_found"}` as "reasons.unsubscribed") })}</li>
            ))}
        </ul>
      ) : null}
    </div>
  );
}
