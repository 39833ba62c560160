"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Building2, Plus, X } from "lucide-react";
import { cn } from "../../../../_components/cn";
import { inputClass } from "../../../../_components/ui";
import { searchCompaniesAction } from "../../companies/actions";

type Option = { id: string; name: string; domain: string | null };
type Picked = { kind: "existing"; id: string; name: string } | { kind: "none" };

/**
 * Company combobox for the contact form: type to search the workspace's companies, pick one, or keep the typed
 * name to create that company with the contact (the server reuses a company of the same name). Submits
 * `companyId` (picked) or `newCompanyName` (typed, nothing picked).
 */
export function CompanyPicker({
  slug,
  label,
  defaultValue,
  errors,
}: {
  slug: string;
  label: string;
  defaultValue: { id: string; name: string } | null;
  errors?: string[];
}) {
  const t = useTranslations("contacts");
  const id = useId();
  const listId = `${id}-list`;
  const [picked, setPicked] = useState<Picked>(defaultValue ? { kind: "existing", ...defaultValue } : { kind: "none" });
  const [text, setText] = useState(defaultValue?.name ?? "");
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<Option[]>([]);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [loading, setLoading] = useState(false);
  const request = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  /** Debounced search; only the latest request's answer is shown. */
  const search = (q: string) => {
    clearTimeout(timer.current);
    const ticket = ++request.current;
    setLoading(true);
    timer.current = setTimeout(async () => {
      const result = await searchCompaniesAction(slug, undefined, { q });
      if (ticket !== request.current) return;
      setLoading(false);
      setOptions(result.ok ? (result.data ?? []) : []);
      setActiveIndex(-1);
    }, 200);
  };

  const typed = picked.kind === "none" ? text.trim() : "";
  const exact = options.some((o) => o.name.toLowerCase() === typed.toLowerCase());
  const showCreate = typed !== "" && !exact && !loading;
  const items: ({ kind: "option"; option: Option } | { kind: "create" })[] = [
    ...options.map((option) => ({ kind: "option" as const, option })),
    ...(showCreate ? [{ kind: "create" as const }] : []),
  ];

  const choose = (item: (typeof items)[number]) => {
    if (item.kind === "option") {
      setPicked({ kind: "existing", id: item.option.id, name: item.option.name });
      setText(item.option.name);
    } else {
      setPicked({ kind: "none" });
    }
    setOpen(false);
  };

  const activeId = activeIndex >= 0 ? `${id}-opt-${activeIndex}` : undefined;
  const describedBy = errors?.length ? `${id}-error` : typed && !exact ? `${id}-hint` : undefined;

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700">
        {label}
      </label>
      <input type="hidden" name="companyId" value={picked.kind === "existing" ? picked.id : ""} />
      <input type="hidden" name="newCompanyName" value={typed} />
      <div className="relative">
        <Building2 className="pointer-events-none absolute top-1/2 left-2.5 h-4 w-4 -translate-y-1/2 text-zinc-400" aria-hidden />
        <input
          ref={input}
          id={id}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          className={cn(inputClass, "pr-8 pl-8")}
          placeholder={t("companyPlaceholder")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPicked({ kind: "none" });
            setOpen(true);
            search(e.target.value.trim());
          }}
          onFocus={() => {
            setOpen(true);
            search(picked.kind === "existing" ? "" : text.trim());
          }}
          onBlur={() => {
            setOpen(false);
            // Typed a company's exact name without picking it: link that company.
            const match = picked.kind === "none" && options.find((o) => o.name.toLowerCase() === text.trim().toLowerCase());
            if (match) {
              setPicked({ kind: "existing", id: match.id, name: match.name });
              setText(match.name);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              if (!open) {
                setOpen(true);
                search(picked.kind === "existing" ? "" : text.trim());
              }
              setActiveIndex((i) => Math.min(items.length - 1, i + 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActiveIndex((i) => Math.max(-1, i - 1));
            } else if (e.key === "Enter" && open && activeIndex >= 0 && items[activeIndex]) {
              e.preventDefault(); // choose, don't submit
              choose(items[activeIndex]!);
            } else if (e.key === "Escape" && open) {
              e.preventDefault();
              setOpen(false);
            }
          }}
        />
        {text ? (
          <button
            type="button"
            className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-600"
            aria-label={t("companyClear")}
            onClick={() => {
              setText("");
              setPicked({ kind: "none" });
              input.current?.focus();
            }}
          >
            <X className="h-3.5 w-3.5" aria-hidden />
          </button>
        ) : null}
        {open && (items.length > 0 || loading) ? (
          <ul
            id={listId}
            role="listbox"
            aria-label={label}
            className="absolute z-50 mt-1 max-h-64 w-full overflow-auto rounded-md border border-zinc-200 bg-white p-1 text-sm shadow-lg"
            // Keep focus in the input while clicking an option.
            onMouseDown={(e) => e.preventDefault()}
          >
            {loading && items.length === 0 ? <li className="px-2 py-1.5 text-zinc-400">{t("companySearching")}</li> : null}
            {items.map((item, i) => (
              <li
                key={item.kind === "option" ? item.option.id : "create"}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === activeIndex}
                className={cn("flex cursor-pointer items-center gap-2 rounded px-2 py-1.5", i === activeIndex ? "bg-zinc-100" : "hover:bg-zinc-50")}
                onMouseEnter={() => setActiveIndex(i)}
                onClick={() => choose(item)}
              >
                {item.kind === "option" ? (
                  <>
                    <span className="truncate">{item.option.name}</span>
                    {item.option.domain ? <span className="ml-auto truncate text-xs text-zinc-400">{item.option.domain}</span> : null}
                  </>
                ) : (
                  <>
                    <Plus className="h-4 w-4 text-brand-600" aria-hidden />
                    <span className="truncate">{t("companyCreate", { name: typed })}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : typed && !exact ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {t("companyWillCreate", { name: typed })}
        </p>
      ) : null}
    </div>
  );
}
