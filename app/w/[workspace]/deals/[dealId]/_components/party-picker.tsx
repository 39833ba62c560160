"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Popover } from "radix-ui";
import { toast } from "sonner";
import { useErrorText } from "../../../../../_components/form";
import { Input } from "../../../../../_components/ui";
import { updateDealAction } from "../../_actions/deal-actions";
import { searchCompaniesAction } from "../../../companies/actions";
import { searchContactsAction } from "../../../contacts/actions";

type Option = { id: string; name: string; detail?: string | null };

/** Links the deal to another contact or company (searched as you type), or unlinks it. */
export function PartyPicker({ slug, dealId, kind, current }: { slug: string; dealId: string; kind: "contact" | "company"; current: { id: string; name: string } | null }) {
  const t = useTranslations("deal");
  const errorText = useErrorText();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [results, setResults] = useState<Option[] | null>(null);
  const ticket = useRef(0);
  const [pending, start] = useTransition();

  useEffect(() => {
    if (!open) return;
    const mine = ++ticket.current;
    const timer = setTimeout(async () => {
      const result = kind === "contact" ? await searchContactsAction(slug, undefined, { q }) : await searchCompaniesAction(slug, undefined, { q });
      if (mine !== ticket.current || !result.ok || !result.data) return; // a newer search has been typed
      setResults(
        kind === "contact"
          ? (result.data as { id: string; name: string; email: string | null; companyName: string | null }[]).map((c) => ({ id: c.id, name: c.name, detail: c.email ?? c.companyName }))
          : (result.data as { id: string; name: string; domain: string | null }[]).map((c) => ({ id: c.id, name: c.name, detail: c.domain })),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [q, open, kind, slug]);

  const link = (id: string | null) =>
    start(async () => {
      const result = await updateDealAction(slug, undefined, { dealId, [kind === "contact" ? "contactId" : "companyId"]: id ?? "" });
      if (!result.ok) return void toast.error(errorText(result.message));
      setOpen(false);
      router.refresh();
    });

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className="text-xs font-medium text-brand-600 hover:text-brand-700">{current ? t("change") : t("link")}</Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={6} className="z-50 w-72 rounded-md border border-zinc-200 bg-white p-2 shadow-lg" aria-busy={pending}>
          <Input aria-label={kind === "contact" ? t("searchPeople") : t("searchOrganizations")} placeholder={t("typeToSearch")} value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
          <ul className="mt-2 max-h-64 overflow-y-auto" role="listbox" aria-label={kind === "contact" ? t("person") : t("organization")}>
            {(results ?? []).map((r) => (
              <li key={r.id} role="option" aria-selected={r.id === current?.id}>
                <button type="button" className="w-full rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100" onClick={() => link(r.id)} disabled={pending}>
                  <span className="block truncate">{r.name}</span>
                  {r.detail ? <span className="block truncate text-xs text-zinc-500">{r.detail}</span> : null}
                </button>
              </li>
            ))}
            {results?.length === 0 ? <li className="px-2 py-1.5 text-sm text-zinc-500">{t("noMatches")}</li> : null}
          </ul>
          {current ? (
            <button type="button" className="mt-1 w-full rounded px-2 py-1.5 text-left text-sm text-red-600 hover:bg-red-50" onClick={() => link(null)} disabled={pending}>
              {t("unlink", { name: current.name })}
            </button>
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
