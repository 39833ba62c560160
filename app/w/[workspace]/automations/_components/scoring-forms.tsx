"use client";

import { useActionState, useEffect, useState, useTransition, type ReactNode } from "react";
import type { ActionState } from "@/lib/actions";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Trash2 } from "lucide-react";
import { FormMessage, SubmitButton, TextField, useErrorText } from "../../../../_components/form";
import { cn } from "../../../../_components/cn";
import { Button, Input, Select } from "../../../../_components/ui";
import { addScoringRuleAction, deleteScoringRuleAction, saveScoringSettingsAction } from "../actions";

export function ScoringSettingsForm({ slug, settings }: { slug: string; settings: { weeklyDecay: number; cap: number | null; hotThreshold: number | null } }) {
  const t = useTranslations("automations.scoring");
  const [state, action] = useActionState(saveScoringSettingsAction.bind(null, slug), undefined);
  useEffect(() => {
    if (state?.ok) toast.success(t("saved"));
  }, [state, t]);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-3" noValidate>
      <div className="sm:col-span-3">
        <FormMessage state={state} />
      </div>
      <TextField name="weeklyDecay" type="number" min={0} max={1000} label={t("decayLabel")} hint={t("decayHint")} defaultValue={settings.weeklyDecay} state={state} />
      <TextField name="cap" type="number" min={1} label={t("capLabel")} hint={t("capHint")} defaultValue={settings.cap ?? ""} state={state} />
      <TextField name="hotThreshold" type="number" min={1} label={t("thresholdLabel")} hint={t("thresholdHint")} defaultValue={settings.hotThreshold ?? ""} state={state} />
      <div className="sm:col-span-3">
        <SubmitButton>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}

type EventOption = { value: string; label: string; deal: boolean; activity: boolean };
type StageGroup = { id: string; name: string; stages: { id: string; name: string }[] };

export function AddRuleForm({ slug, events, pipelines, activityTypes }: { slug: string; events: EventOption[]; pipelines: StageGroup[]; activityTypes: { value: string; label: string }[] }) {
  const t = useTranslations("automations.scoring");
  const errorText = useErrorText();
  const router = useRouter();
  const [eventType, setEventType] = useState(events[0]?.value ?? "");
  const [stageId, setStageId] = useState("");
  const [activityType, setActivityType] = useState("");
  const [points, setPoints] = useState("10");
  const [result, setResult] = useState<ActionState | undefined>();
  const [pending, start] = useTransition();
  const isDeal = events.find((e) => e.value === eventType)?.deal ?? false;
  const isActivity = events.find((e) => e.value === eventType)?.activity ?? false;
  const fieldError = (name: string) => (result && !result.ok ? result.fieldErrors?.[name]?.map(errorText).join(" ") : undefined);
  return (
    <form
      className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        start(async () => {
          const res = await addScoringRuleAction(slug, undefined, { eventType, stageId: isDeal ? stageId : "", activityType: isActivity ? activityType : "", points });
          setResult(res);
          if (res.ok) {
            toast.success(t("ruleAdded"));
            setStageId("");
            setActivityType("");
            setPoints("10");
            router.refresh();
          } else if (!res.fieldErrors) toast.error(errorText(res.message));
        });
      }}
    >
      <RuleField id={`${slug}-rule-event`} label={t("eventLabel")} error={fieldError("eventType")} className="sm:min-w-64 sm:flex-[2]">
        {(a11y) => (
          <Select {...a11y} value={eventType} onChange={(e) => setEventType(e.target.value)}>
            {events.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </Select>
        )}
      </RuleField>
      {isActivity ? (
        <RuleField id={`${slug}-rule-activity-type`} label={t("activityTypeLabel")} error={fieldError("activityType")} className="sm:min-w-48 sm:flex-1">
          {(a11y) => (
            <Select {...a11y} value={activityType} onChange={(e) => setActivityType(e.target.value)}>
              <option value="">{t("anyActivityType")}</option>
              {activityTypes.map((type) => (
                <option key={type.value} value={type.value}>
                  {type.label}
                </option>
              ))}
            </Select>
          )}
        </RuleField>
      ) : (
      <RuleField id={`${slug}-rule-stage`} label={t("stageLabel")} error={fieldError("stageId")} className="sm:min-w-48 sm:flex-1">
        {(a11y) => (
          <Select {...a11y} value={isDeal ? stageId : ""} disabled={!isDeal} onChange={(e) => setStageId(e.target.value)}>
            <option value="">{t("anyStage")}</option>
            {pipelines.map((p) => (
              <optgroup key={p.id} label={p.name}>
                {p.stages.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        )}
      </RuleField>
      )}
      <RuleField id={`${slug}-rule-points`} label={t("pointsLabel")} error={fieldError("points")} className="sm:w-28">
        {(a11y) => <Input {...a11y} type="number" min={-1000} max={1000} step={1} value={points} onChange={(e) => setPoints(e.target.value)} />}
      </RuleField>
      <div className="sm:pt-6">
        <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
          {t("addRule")}
        </Button>
      </div>
    </form>
  );
}

function RuleField({ id, label, error, className, children }: { id: string; label: string; error?: string; className?: string; children: (a11y: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  return (
    <div className={cn("min-w-0 space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700">
        {label}
      </label>
      {children({ id, ...(error ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {}) })}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function DeleteRuleButton({ slug, ruleId, label }: { slug: string; ruleId: string; label: string }) {
  const t = useTranslations("automations.scoring");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-label={t("deleteRule", { rule: label })}
      title={t("deleteRule", { rule: label })}
      onClick={() =>
        start(async () => {
          const result = await deleteScoringRuleAction(slug, undefined, { ruleId });
          if (result.ok) {
            toast.success(t("ruleDeleted"));
            router.refresh();
          } else toast.error(errorText(result.message));
        })
      }
    >
      <Trash2 className="h-4 w-4" aria-hidden />
    </Button>
  );
}
