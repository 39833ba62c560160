"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { Popover } from "radix-ui";
import { CalendarClock, UserPlus, Zap } from "lucide-react";
import type { NotificationDTO } from "@/lib/notifications/queries";
import { cn } from "../../../_components/cn";
import { listNotificationsAction, markNotificationsReadAction } from "../activities/actions";

const POLL_MS = 60_000;

/**
 * The bell: unread count (from the layout, then polled every minute while the tab is visible, so reminders the
 * scheduler creates show up without a reload) and, when opened, the latest notifications. Opening marks the
 * shown ones read; "Mark all as read" clears the rest.
 */
export function NotificationBell({ slug, initialUnread, className }: { slug: string; initialUnread: number; className?: string }) {
  const t = useTranslations("notifications");
  const format = useFormatter();
  const [unread, setUnread] = useState(initialUnread);
  const [items, setItems] = useState<NotificationDTO[] | null>(null);
  const [open, setOpen] = useState(false);
  const [, start] = useTransition();
  const trigger = useRef<HTMLButtonElement>(null);

  // The layout's count wins when it changes (navigation, refresh): adjust state while rendering.
  const [serverUnread, setServerUnread] = useState(initialUnread);
  if (serverUnread !== initialUnread) {
    setServerUnread(initialUnread);
    setUnread(initialUnread);
  }

  const load = useCallback(async () => {
    const result = await listNotificationsAction(slug, undefined, {});
    if (result.ok && result.data) {
      setUnread(result.data.unread);
      setItems(result.data.items);
      return result.data.items;
    }
    return null;
  }, [slug]);

  useEffect(() => {
    const timer = setInterval(() => {
      // The shell mounts a bell in the sidebar and one in the phone header: only the one on screen polls.
      if (document.visibilityState === "visible" && trigger.current?.offsetParent) void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) return;
    start(async () => {
      const list = await load();
      const ids = (list ?? []).filter((n) => !n.read).map((n) => n.id);
      if (ids.length === 0) return;
      const result = await markNotificationsReadAction(slug, undefined, { ids });
      if (result.ok) setUnread((n) => Math.max(0, n - (result.data?.changed ?? 0)));
    });
  }

  function markAll() {
    start(async () => {
      const result = await markNotificationsReadAction(slug, undefined, { all: true });
      if (result.ok) {
        setUnread(0);
        setItems((list) => list?.map((n) => ({ ...n, read: true })) ?? null);
      }
    });
  }

  const describe = (n: NotificationDTO) => {
    if (n.kind === "message") return n.message ?? "";
    if (!n.activity) return t("removedActivity");
    if (n.kind === "activity_assigned") return n.actorName ? t("assigned", { actor: n.actorName, subject: n.activity.subject }) : t("assignedBySomeone", { subject: n.activity.subject });
    return t("reminder", { subject: n.activity.subject });
  };
  const due = (a: NonNullable<NotificationDTO["activity"]>) =>
    a.dueAt
      ? t("dueAt", { when: format.dateTime(new Date(a.dueAt), { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }) })
      : t("dueOn", { date: format.dateTime(new Date(`${a.dueDate}T00:00:00Z`), { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" }) });

  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Trigger
        ref={trigger}
        className={cn("pw-i pw-i-5 pw-i-bell relative flex rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100", className)}
        aria-label={unread > 0 ? t("bellUnread", { count: unread }) : t("bell")}
        data-testid="notification-bell"
      >
        {unread > 0 ? (
          <span className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-red-600 px-1 text-[10px] font-semibold text-white" aria-hidden>
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={6} collisionPadding={8} className="z-50 w-80 max-w-[calc(100vw-1rem)] rounded-lg border border-zinc-200 bg-white shadow-lg">
          <div className="flex items-center justify-between border-b border-zinc-100 px-3 py-2">
            <h2 className="text-sm font-semibold">{t("title")}</h2>
            <button type="button" onClick={markAll} className="text-xs font-medium text-brand-700 hover:underline disabled:text-zinc-400" disabled={unread === 0}>
              {t("markAllRead")}
            </button>
          </div>
          <ul className="max-h-96 overflow-y-auto py-1" aria-label={t("title")}>
            {items === null ? <li className="px-3 py-6 text-center text-sm text-zinc-400">…</li> : null}
            {items?.length === 0 ? <li className="px-3 py-6 text-center text-sm text-zinc-500">{t("empty")}</li> : null}
            {items?.map((n) => {
              const Icon = n.kind === "activity_assigned" ? UserPlus : n.kind === "message" ? Zap : CalendarClock;
              const href = n.kind === "message" ? (n.link ? `/w/${slug}/${n.link}` : `/w/${slug}/automations`) : n.activity?.dealId ? `/w/${slug}/deals/${n.activity.dealId}` : `/w/${slug}/activities`;
              return (
                <li key={n.id}>
                  <Link
                    href={href}
                    onClick={() => setOpen(false)}
                    className={cn("flex gap-2.5 px-3 py-2 hover:bg-zinc-50", !n.read && "bg-brand-50/50")}
                  >
                    <Icon className="mt-0.5 h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                    <span className="min-w-0 flex-1">
                      <span className={cn("block text-sm", n.read ? "text-zinc-700" : "font-medium text-zinc-900")}>{describe(n)}</span>
                      <span className="block text-xs text-zinc-500">
                        {n.activity ? (n.activity.done ? t("done") : due(n.activity)) : null}
                        {n.activity ? " · " : null}
                        {format.relativeTime(new Date(n.createdAt))}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
          <div className="border-t border-zinc-100 px-3 py-2 text-right">
            <Link href={`/w/${slug}/activities`} onClick={() => setOpen(false)} className="text-xs font-medium text-brand-700 hover:underline">
              {t("openMyDay")}
            </Link>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
