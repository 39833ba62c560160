"use client";

import { useFormatter } from "next-intl";

/**
 * A calendar date of the user's ("2026-03-16", no instant) in words: "Mon, Mar 16" (short) or "Monday, March 16"
 * (long). Formatted at UTC noon in UTC, so it is the same day whatever the browser's zone. The week view's day
 * labels and announcements and the list's reschedule menu and toasts say a day the same way.
 */
export function useDayText(): (date: string, style?: "short" | "long") => string {
  const format = useFormatter();
  return (date, style = "long") =>
    format.dateTime(new Date(`${date}T12:00:00Z`), style === "short" ? { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" } : { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" });
}
