"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Dialog, DropdownMenu } from "radix-ui";
import {
  Check,
  LogOut,
  Plus,
  UserRound,
  X,
} from "lucide-react";
import { initials } from "@/lib/format";
import { Logo } from "../../../_components/logo";
import { signOutAction, signOutEverywhereAction } from "../../../_actions/user";
import { CommandPalette, SearchButton } from "./command-palette";
import { NotificationBell } from "./notification-bell";

const nav = [
  { key: "pipelines", href: "pipelines" },
  { key: "deals", href: "deals" },
  { key: "contacts", href: "contacts" },
  { key: "companies", href: "companies" },
  { key: "activities", href: "activities" },
  { key: "automations", href: "automations" },
  { key: "sequences", href: "sequences" },
  { key: "reports", href: "reports" },
  { key: "settings", href: "settings" },
] as const;

type Props = {
  slug: string;
  workspaceName: string;
  workspaces: { slug: string; name: string }[];
  user: { name: string; email: string };
  labels: { skip: string };
  /** Unread notifications of the member here (the bell's badge). */
  unreadNotifications: number;
  children: ReactNode;
};

export function AppShell({ slug, workspaceName, workspaces, user, labels, unreadNotifications, children }: Props) {
  const [open, setOpen] = useState(false);
  const t = useTranslations("nav");
  return (
    <div className="min-h-dvh lg:pl-60">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {labels.skip}
      </a>
      {/* Desktop sidebar */}
      <aside className="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col border-r border-zinc-200 bg-white lg:flex">
        <Sidebar slug={slug} workspaceName={workspaceName} workspaces={workspaces} user={user} bell={<NotificationBell slug={slug} initialUnread={unreadNotifications} />} />
      </aside>
      {/* Phone / tablet top bar with a drawer */}
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <header className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white px-4 lg:hidden">
          <Dialog.Trigger className="pw-i pw-i-5 pw-i-menu -ml-1 flex rounded p-1.5 text-zinc-600 hover:bg-zinc-100" aria-label={t("openMenu")} />
          <Logo />
          <span className="truncate text-sm text-zinc-500">{workspaceName}</span>
          <NotificationBell slug={slug} initialUnread={unreadNotifications} className="ml-auto" />
        </header>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40 lg:hidden" />
          <Dialog.Content className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col bg-white shadow-xl lg:hidden" onClick={(e) => {
            if ((e.target as HTMLElement).closest("a")) setOpen(false);
          }}>
            <Dialog.Title className="sr-only">{t("menu")}</Dialog.Title>
            <Dialog.Close className="absolute right-3 top-3 rounded p-1.5 text-zinc-500 hover:bg-zinc-100" aria-label={t("closeMenu")}>
              <X className="h-5 w-5" />
            </Dialog.Close>
            <Sidebar slug={slug} workspaceName={workspaceName} workspaces={workspaces} user={user} />
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
      <CommandPalette slug={slug} />
      <main id="main" className="min-w-0 px-4 py-6 sm:px-6 lg:px-8">
        {children}
      </main>
    </div>
  );
}

function Sidebar({ slug, workspaceName, workspaces, user, bell }: Omit<Props, "children" | "labels" | "unreadNotifications"> & { bell?: ReactNode }) {
  const pathname = usePathname();
  const t = useTranslations("nav");
  return (
    <>
      <div className="px-3 pt-4 pb-2">
        <WorkspaceSwitcher slug={slug} workspaceName={workspaceName} workspaces={workspaces} />
        <div className="mt-2 flex items-center gap-1">
          <div className="min-w-0 flex-1">
            <SearchButton />
          </div>
          {bell}
        </div>
      </div>
      <nav aria-label={t("main")} className="flex-1 overflow-y-auto px-3 py-2">
        <ul className="space-y-0.5">
          {nav.map((item) => {
            const href = `/w/${slug}/${item.href}`;
            const active = pathname === href || pathname.startsWith(`${href}/`);
            return (
              <li key={item.key}>
                {/* icon and active state drawn by CSS (app/globals.css, .pw-nav[aria-current]): short markup in every page */}
                <Link href={href} aria-current={active ? "page" : undefined} className={`pw-nav pw-i pw-i-4 pw-i-nav-${item.key}`}>
                  {t(item.key)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="border-t border-zinc-200 p-3">
        <UserMenu slug={slug} user={user} />
      </div>
    </>
  );
}

const menuItem = "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100";

function WorkspaceSwitcher({ slug, workspaceName, workspaces }: { slug: string; workspaceName: string; workspaces: { slug: string; name: string }[] }) {
  const t = useTranslations("nav");
  return (
    <DropdownMenu.Root>
      {/* The visible name is part of the accessible name ("Acme Sales, Switch workspace"), as WCAG 2.5.3 asks. */}
      <DropdownMenu.Trigger className="flex w-full items-center gap-2 rounded-md border border-zinc-200 px-2.5 py-2 text-left hover:bg-zinc-50">
        <span className="flex h-6 w-6 shrink-0 items-center justify-center rounded bg-brand-600 text-xs font-semibold text-white" aria-hidden>
          {workspaceName.slice(0, 1).toUpperCase()}
        </span>
        <span className="min-w-0 flex-1 truncate text-sm font-medium">
          {workspaceName}
          <span className="sr-only">, {t("switchWorkspace")}</span>
        </span>
        <span className="pw-i pw-i-4 pw-i-switch text-zinc-400" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1 text-xs text-zinc-500">{t("workspaces")}</DropdownMenu.Label>
          {workspaces.map((w) => (
            <DropdownMenu.Item key={w.slug} asChild className={menuItem}>
              <Link href={`/w/${w.slug}`}>
                <span className="flex-1 truncate">{w.name}</span>
                {w.slug === slug ? <Check className="h-4 w-4 text-brand-600" aria-hidden /> : null}
              </Link>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <DropdownMenu.Item asChild className={menuItem}>
            <Link href="/w/new">
              <Plus className="h-4 w-4" aria-hidden /> {t("newWorkspace")}
            </Link>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function UserMenu({ slug, user }: { slug: string; user: { name: string; email: string } }) {
  const t = useTranslations("nav");
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-zinc-100">
        <span className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700" aria-hidden>
          {initials(user.name)}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium">{user.name}</span>
          <span className="block truncate text-xs text-zinc-500">{user.email}</span>
          <span className="sr-only">, {t("userMenu")}</span>
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content side="top" align="start" sideOffset={4} className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Item asChild className={menuItem}>
            <Link href={`/w/${slug}/settings/profile`}>
              <UserRound className="h-4 w-4" aria-hidden /> {t("profile")}
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <DropdownMenu.Item className={menuItem} onSelect={() => void signOutAction()}>
            <LogOut className="h-4 w-4" aria-hidden /> {t("signOut")}
          </DropdownMenu.Item>
          <DropdownMenu.Item className={menuItem} onSelect={() => void signOutEverywhereAction()}>
            <LogOut className="h-4 w-4" aria-hidden /> {t("signOutEverywhere")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
