import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ArrowRight, CircleDot, Pencil, RotateCcw, ThumbsDown, Trash2, Trophy } from "lucide-react";
import { formatCalendarDate, formatMoney } from "@/lib/format";
import { formatCustomValue, type FieldDef } from "@/lib/custom-fields/values";

type Event = {
  id: number;
  type: string;
  fromStageName: string | null;
  toStageName: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
  actorName: string | null;
};

const icons: Record<string, typeof CircleDot> = { created: CircleDot, stage_changed: ArrowRight, won: Trophy, lost: ThumbsDown, reopened: RotateCcw, deleted: Trash2, restored: RotateCcw };

/** The deal's history, newest first, in plain words. */
export async function Timeline({ events, members, fields }: { events: Event[]; members: { id: string; name: string }[]; fields: FieldDef[] }) {
  const t = await getTranslations("timeline");
  const format = await getFormatter();
  const locale = await getLocale();
  const nameOf = (id: unknown) => members.find((m) => m.id === id)?.name;
  const memberName = (id: unknown) => nameOf(id) ?? t("nobody");
  const money = (v: unknown) => {
    const m = v as { value?: number; currency?: string } | null;
    return m && typeof m.value === "number" && m.currency ? formatMoney(m.value, m.currency, locale) : "—";
  };
  const day = (v: unknown) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatCalendarDate(v, locale) : "—");
  const describe = (e: Event): string => {
    switch (e.type) {
      case "created":
        return t("created", { stage: e.toStageName ?? "—" });
      case "stage_changed":
        return t("stageChanged", { from: e.fromStageName ?? (e.data.fromStageName as string | undefined) ?? t("deletedStage"), to: e.toStageName ?? t("deletedStage") });
      case "won":
        return t("won");
      case "lost":
        return t("lost", { reason: String(e.data.reason ?? "—") });
      case "reopened":
        return t("reopened");
      case "value_changed":
        return t("valueChanged", { from: money(e.data.from), to: money(e.data.to) });
      case "owner_changed":
        return t("ownerChanged", { from: memberName(e.data.from), to: memberName(e.data.to) });
      case "close_date_changed":
        return t("closeDateChanged", { from: day(e.data.from), to: day(e.data.to) });
      case "field_changed": {
        const field = String(e.data.field);
        // a custom field's change says which field (by its label, kept if it was archived) and both values
        if (field.startsWith("custom:")) {
          const key = field.slice("custom:".length);
          const def = fields.find((f) => f.key === key);
          const shown = (v: unknown) => {
            if (v === null || v === undefined) return "—";
            return (def ? formatCustomValue(def, v, locale, nameOf) : String(v)) || "—";
          };
          return t("customFieldChanged", { field: def?.label ?? key, from: shown(e.data.from), to: shown(e.data.to) });
        }
        return t("fieldChanged", { field: t.has(`fields.${field}`) ? t(`fields.${field}` as "fields.title") : field });
      }
      case "deleted":
        return t("deleted");
      case "restored":
        return t("restored");
      default:
        return e.type;
    }
  };
  return (
    <ol className="relative space-y-4 border-l border-zinc-200 pl-5">
      {events.map((e) => {
        const Icon = icons[e.type] ?? Pencil;
        return (
          <li key={e.id} className="relative">
            <span className="absolute top-0.5 -left-[1.69rem] flex h-5 w-5 items-center justify-center rounded-full bg-white ring-1 ring-zinc-200">
              <Icon className="h-3 w-3 text-zinc-500" aria-hidden />
            </span>
            <p className="text-sm text-zinc-800">{describe(e)}</p>
            <p className="text-xs text-zinc-500">
              {e.actorName ?? t("system")} · <time dateTime={e.occurredAt.toISOString()}>{format.dateTime(e.occurredAt, { dateStyle: "medium", timeStyle: "short" })}</time>
            </p>
          </li>
        );
      })}
    </ol>
  );
}
