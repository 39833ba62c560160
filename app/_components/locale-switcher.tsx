"use client";

import { useLocale } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setLocaleCookieAction } from "../(auth)/actions";

export function LocaleSwitcher() {
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div className="flex items-center gap-1 text-xs" aria-busy={pending}>
      {(["en", "zh-CN"] as const).map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          onClick={() => start(async () => { await setLocaleCookieAction(l); router.refresh(); })}
          className={`rounded px-2 py-1 ${locale === l ? "bg-zinc-200 font-medium text-zinc-900" : "text-zinc-500 hover:text-zinc-900"}`}
        >
          {l === "en" ? "English" : "简体中文"}
        </button>
      ))}
    </div>
  );
}
