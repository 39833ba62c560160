import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Flame } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getScoringSettings, listHotLeads, listScoringRules } from "@/lib/scoring/queries";
import { scoringEventTypes } from "@/lib/scoring/schema";
import { builtInActivityTypes } from "@/lib/activities/schema";
import { listActivityTypes } from "@/lib/activities/queries";
import { getBuilderOptions } from "@/lib/workflows/queries";
import { Badge, Card } from "../../../../../_components/ui";
import { AddRuleForm, DeleteRuleButton, ScoringSettingsForm } from "../../_components/scoring-forms";

export async function generateMetadata() {
  const t = await getTranslations("automations");
  return { title: t("scoringTab") };
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Lead scoring: the hot leads, the rules that give points, and decay / cap / threshold settings. */
export default async function ScoringPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "contacts.read");
  const manage = can(ctx.role, "automations.manage");
  const [leads, rules, settings] = await Promise.all([listHotLeads(ctx, 25), listScoringRules(ctx), getScoringSettings(ctx)]);
  const options = manage ? await getBuilderOptions(ctx) : null;
  const t = await getTranslations("automations");
  const ts = await getTranslations("automations.scoring");
  const tActivities = await getTranslations("activities");
  const eventLabel = (type: string) => t(`triggers.${type.replace(".", "_")}`);
  const activityTypeOptions = [
    ...builtInActivityTypes.map((type) => ({ value: type, label: tActivities(`types.${type}`) })),
    ...(options?.customActivityTypes ?? []).map((type) => ({ value: type.id, label: type.label })),
  ];
  const ownTypes = new Map((rules.some((r) => r.activityType) ? await listActivityTypes(ctx, { includeArchived: true }) : []).map((type) => [type.id, type.label]));
  const activityTypeLabel = (type: string) => ((builtInActivityTypes as readonly string[]).includes(type) ? tActivities(`types.${type}`) : (ownTypes.get(type) ?? type));
  const ruleLabel = (r: (typeof rules)[number]) => {
    const points = signed(r.points);
    const event = eventLabel(r.eventType);
    if (r.stageName) return ts("ruleTextStage", { event, stage: r.stageName, points });
    if (r.activityType) return ts("ruleTextActivityType", { event, type: activityTypeLabel(r.activityType), points });
    return ts("ruleText", { event, points });
  };

  return (
    <div className="space-y-6">
      <Card>
        <div className="border-b border-zinc-100 px-4 py-3">
          <h2 className="text-sm font-semibold text-zinc-900">{ts("hotTitle")}</h2>
          <p className="text-xs text-zinc-500">{ts("hotHint")}</p>
        </div>
        {leads.length === 0 ? (
          <p className="px-4 py-6 text-sm text-zinc-500">{ts("hotEmpty")}</p>
        ) : (
          <ol className="divide-y divide-zinc-100">
            {leads.map((lead, i) => {
              const hot = settings.hotThreshold !== null && lead.score >= settings.hotThreshold;
              return (
                <li key={lead.id} className="flex items-center gap-3 px-4 py-2.5 text-sm">
                  <span className="w-6 text-right text-xs text-zinc-400 tabular-nums">{i + 1}</span>
                  <div className="min-w-0 flex-1">
                    <Link href={`/w/${slug}/contacts/${lead.id}`} className="font-medium text-zinc-900 hover:underline">
                      {lead.name}
                    </Link>
                    <p className="truncate text-xs text-zinc-500">{[lead.company, lead.owner].filter(Boolean).join(" · ")}</p>
                  </div>
                  {hot ? (
                    <Badge className="bg-orange-50 text-orange-700">
                      <Flame className="mr-1 h-3 w-3" aria-hidden /> {ts("hotBadge")}
                    </Badge>
                  ) : null}
                  <Link
                    href={`/w/${slug}/automations/scoring/${lead.id}`}
                    className="w-14 text-right font-semibold text-zinc-900 tabular-nums hover:underline"
                    title={ts("historyLink", { name: lead.name })}
                  >
                    {lead.score}
                    <span className="sr-only">, {ts("historyLink", { name: lead.name })}</span>
                  </Link>
                </li>
              );
            })}
          </ol>
        )}
      </Card>

      <Card className="p-4 sm:p-5">
        <h2 className="text-sm font-semibold text-zinc-900">{ts("rulesTitle")}</h2>
        <p className="mt-0.5 text-xs text-zinc-500">{ts("rulesHint")}</p>
        {rules.length === 0 ? (
          <p className="mt-3 text-sm text-zinc-500">{ts("noRules")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-100 rounded-md border border-zinc-200">
            {rules.map((r) => (
              <li key={r.id} className="flex items-center gap-3 px-3 py-2 text-sm">
                <span className="flex-1 text-zinc-800">{ruleLabel(r)}</span>
                {manage ? <DeleteRuleButton slug={slug} ruleId={r.id} label={ruleLabel(r)} /> : null}
              </li>
            ))}
          </ul>
        )}
        {manage && options ? (
          <div className="mt-4 border-t border-zinc-100 pt-4">
            <AddRuleForm
              slug={slug}
              events={scoringEventTypes.map((type) => ({ value: type, label: eventLabel(type), deal: type.startsWith("deal."), activity: type.startsWith("activity.") }))}
              pipelines={options.pipelines}
              activityTypes={activityTypeOptions}
            />
          </div>
        ) : (
          <p className="mt-3 text-xs text-zinc-500">{ts("readOnly")}</p>
        )}
      </Card>

      {manage ? (
        <Card className="p-4 sm:p-5">
          <h2 className="mb-4 text-sm font-semibold text-zinc-900">{ts("settingsTitle")}</h2>
          <ScoringSettingsForm slug={slug} settings={settings} />
        </Card>
      ) : null}
    </div>
  );
}
