"use client";

import { useId, useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import type { ActionState } from "@/lib/actions";
import { eventTypes } from "@/lib/events/types";
import {
  actionTypes,
  conditionFieldKeys,
  conditionFields,
  dealChangeFields,
  dealOnlyActions,
  fieldLabelKey,
  opsFor,
  unaryOps,
  updatableFieldKeys,
  updatableFields,
  type ConditionField,
  type ConditionOp,
} from "@/lib/workflows/fields";
import type { BuilderOptions } from "@/lib/workflows/queries";
import { useErrorText } from "../../../../_components/form";
import { Button, Card, Input, Select, Textarea } from "../../../../_components/ui";
import { cn } from "../../../../_components/cn";
import { saveWorkflowAction } from "../actions";
import { blankAction, builtInActivityTypes, newKey, toPayload, type ActionDraft, type ActionType, type RuleDraft, type WorkflowDraft } from "./draft";

/** A labelled control with its error (the error's id describes the control). */
function Field({ label, error, children, className, hint }: { label: ReactNode; error?: string; children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode; className?: string; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className={cn("min-w-0 space-y-1", className)}>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
        {label}
      </label>
      {children({ id, ...(error ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {}) })}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs text-zinc-500">{hint}</p>
      ) : null}
    </div>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Card className="p-4 sm:p-5">
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      {hint ? <p className="mt-0.5 text-xs text-zinc-500">{hint}</p> : null}
      <div className="mt-4 space-y-4">{children}</div>
    </Card>
  );
}

export function WorkflowBuilder({ slug, workflowId, initial, options }: { slug: string; workflowId?: string; initial: WorkflowDraft; options: BuilderOptions }) {
  const t = useTranslations("automations");
  const tb = useTranslations("automations.builder");
  const tActivities = useTranslations("activities");
  const errorText = useErrorText();
  const router = useRouter();
  const [draft, setDraft] = useState<WorkflowDraft>(initial);
  const [result, setResult] = useState<ActionState<{ id: string }> | undefined>();
  const [pending, start] = useTransition();

  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const err = (path: string) => (errors[path] ? errors[path]!.map(errorText).join(" ") : undefined);
  const isContactTrigger = draft.trigger.type.startsWith("contact.");
  const allStages = options.pipelines.flatMap((p) => p.stages.map((s) => ({ ...s, pipelineId: p.id, pipelineName: p.name })));
  const triggerStages = draft.trigger.pipelineId ? allStages.filter((s) => s.pipelineId === draft.trigger.pipelineId) : allStages;

  const setTrigger = (patch: Partial<WorkflowDraft["trigger"]>) => setDraft((d) => ({ ...d, trigger: { ...d.trigger, ...patch } }));
  const setRule = (key: string, patch: Partial<RuleDraft>) =>
    setDraft((d) => ({ ...d, conditions: { ...d.conditions, rules: d.conditions.rules.map((r) => (r.key === key ? { ...r, ...patch } : r)) } }));
  const setAction = (key: string, patch: Partial<ActionDraft>) => setDraft((d) => ({ ...d, actions: d.actions.map((a) => (a.key === key ? { ...a, ...patch } : a)) }));
  const moveAction = (index: number, by: number) =>
    setDraft((d) => {
      const actions = [...d.actions];
      const [moved] = actions.splice(index, 1);
      actions.splice(index + by, 0, moved!);
      return { ...d, actions };
    });

  const stageOptions = (stages: typeof allStages) =>
    options.pipelines
      .filter((p) => stages.some((s) => s.pipelineId === p.id))
      .map((p) => (
        <optgroup key={p.id} label={p.name}>
          {stages
            .filter((s) => s.pipelineId === p.id)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </optgroup>
      ));
  const memberOptions = options.members.map((m) => (
    <option key={m.id} value={m.id}>
      {m.name}
    </option>
  ));

  function valueInput(rule: RuleDraft, index: number) {
    const def = conditionFields[rule.field] as { type: string; options?: readonly string[] };
    const props = { value: rule.value, onChange: (e: { target: { value: string } }) => setRule(rule.key, { value: e.target.value }) };
    const error = err(`conditions.rules.${index}.value`);
    return (
      <Field label={tb("conditionValue")} error={error} className="sm:col-span-4">
        {(a11y) =>
          def.type === "text" ? (
            <Input {...a11y} {...props} maxLength={500} />
          ) : def.type === "number" ? (
            <Input {...a11y} {...props} type="number" step="any" inputMode="decimal" />
          ) : def.type === "date" ? (
            <Input {...a11y} {...props} type="date" />
          ) : (
            <Select {...a11y} {...props}>
              <option value="">{tb("pickOne")}</option>
              {def.type === "enum"
                ? def.options!.map((o) => (
                    <option key={o} value={o}>
                      {rule.field === "contact.lifecycle" ? t(`lifecycle.${o}`) : t(`status.${o}`)}
                    </option>
                  ))
                : def.type === "pipeline"
                  ? options.pipelines.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))
                  : def.type === "stage"
                    ? stageOptions(allStages)
                    : memberOptions}
            </Select>
          )
        }
      </Field>
    );
  }

  function actionFields(a: ActionDraft, i: number) {
    const e = (name: string) => err(`actions.${i}.${name}`);
    switch (a.type) {
      case "create_activity":
        return (
          <div className="grid gap-3 sm:grid-cols-6">
            <Field label={tb("activityType")} error={e("activityType")} className="sm:col-span-2">
              {(p) => (
                <Select {...p} value={a.activityType} onChange={(ev) => setAction(a.key, { activityType: ev.target.value })}>
                  {builtInActivityTypes.map((type) => (
                    <option key={type} value={type}>
                      {tActivities(`types.${type}`)}
                    </option>
                  ))}
                  {options.customActivityTypes.map((type) => (
                    <option key={type.id} value={type.id}>
                      {type.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={tb("activitySubject")} error={e("subject")} className="sm:col-span-4">
              {(p) => <Input {...p} value={a.subject} maxLength={200} onChange={(ev) => setAction(a.key, { subject: ev.target.value })} />}
            </Field>
            <Field label={tb("assignTo")} error={e("assignTo")} className="sm:col-span-3">
              {(p) => (
                <Select {...p} value={a.assignTo} onChange={(ev) => setAction(a.key, { assignTo: ev.target.value as ActionDraft["assignTo"] })}>
                  <option value="deal_owner">{isContactTrigger ? tb("assignToContactOwner") : tb("assignToDealOwner")}</option>
                  <option value="user">{tb("assignToUser")}</option>
                </Select>
              )}
            </Field>
            {a.assignTo === "user" ? (
              <Field label={tb("person")} error={e("userId")} className="sm:col-span-3">
                {(p) => (
                  <Select {...p} value={a.userId} onChange={(ev) => setAction(a.key, { userId: ev.target.value })}>
                    <option value="">{tb("pickOne")}</option>
                    {memberOptions}
                  </Select>
                )}
              </Field>
            ) : (
              <div className="hidden sm:col-span-3 sm:block" />
            )}
            <Field label={tb("dueIn")} error={e("dueIn")} className="sm:col-span-2">
              {(p) => <Input {...p} type="number" min={0} max={365} value={a.dueIn} onChange={(ev) => setAction(a.key, { dueIn: ev.target.value })} />}
            </Field>
            <Field label={<span className="sr-only sm:not-sr-only">&nbsp;</span>} className="sm:col-span-2">
              {(p) => (
                <Select {...p} aria-label={tb("dueIn")} value={a.dueUnit} onChange={(ev) => setAction(a.key, { dueUnit: ev.target.value as ActionDraft["dueUnit"] })}>
                  <option value="days">{tb("daysLater")}</option>
                  <option value="hours">{tb("hoursLater")}</option>
                </Select>
              )}
            </Field>
            <Field label={tb("notes")} error={e("notes")} className="sm:col-span-6">
              {(p) => <Textarea {...p} rows={2} value={a.notes} maxLength={2000} onChange={(ev) => setAction(a.key, { notes: ev.target.value })} />}
            </Field>
          </div>
        );
      case "update_field": {
        const type = updatableFields[a.field as keyof typeof updatableFields];
        const fields = updatableFieldKeys.filter((f) => !isContactTrigger || f.startsWith("contact."));
        return (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={tb("field")} error={e("field")}>
              {(p) => (
                <Select {...p} value={a.field} onChange={(ev) => setAction(a.key, { field: ev.target.value, value: "" })}>
                  {fields.map((f) => (
                    <option key={f} value={f}>
                      {t(fieldLabelKey(f))}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={tb("newValue")} error={e("value")}>
              {(p) =>
                type === "enum" ? (
                  <Select {...p} value={a.value} onChange={(ev) => setAction(a.key, { value: ev.target.value })}>
                    <option value="">{tb("pickOne")}</option>
                    {(["lead", "qualified", "customer"] as const).map((l) => (
                      <option key={l} value={l}>
                        {t(`lifecycle.${l}`)}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Input
                    {...p}
                    value={a.value}
                    type={type === "date" ? "date" : type === "number" ? "number" : "text"}
                    step={type === "number" ? "any" : undefined}
                    min={type === "number" ? 0 : undefined}
                    maxLength={500}
                    onChange={(ev) => setAction(a.key, { value: ev.target.value })}
                  />
                )
              }
            </Field>
          </div>
        );
      }
      case "move_stage":
        return (
          <Field label={tb("stage")} error={e("stageId")} className="sm:max-w-sm">
            {(p) => (
              <Select {...p} value={a.stageId} onChange={(ev) => setAction(a.key, { stageId: ev.target.value })}>
                <option value="">{tb("pickOne")}</option>
                {stageOptions(allStages)}
              </Select>
            )}
          </Field>
        );
      case "mark_won":
        return null;
      case "mark_lost":
        return (
          <Field label={tb("lostReason")} error={e("reason")} className="sm:max-w-sm">
            {(p) => <Input {...p} value={a.reason} maxLength={200} onChange={(ev) => setAction(a.key, { reason: ev.target.value })} />}
          </Field>
        );
      case "change_owner":
        return (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={tb("ownerMode")} error={e("mode")}>
              {(p) => (
                <Select {...p} value={a.mode} onChange={(ev) => setAction(a.key, { mode: ev.target.value as ActionDraft["mode"] })}>
                  <option value="user">{tb("ownerModeUser")}</option>
                  <option value="round_robin">{tb("ownerModeRoundRobin")}</option>
                </Select>
              )}
            </Field>
            {a.mode === "user" ? (
              <Field label={tb("owner")} error={e("userId")}>
                {(p) => (
                  <Select {...p} value={a.userId} onChange={(ev) => setAction(a.key, { userId: ev.target.value })}>
                    <option value="">{tb("pickOne")}</option>
                    {memberOptions}
                  </Select>
                )}
              </Field>
            ) : (
              <fieldset className="min-w-0 space-y-1" aria-describedby={e("userIds") ? `${a.key}-users-error` : undefined}>
                <legend className="text-xs font-medium text-zinc-600">{tb("roundRobinUsers")}</legend>
                <div className="grid max-h-40 gap-1 overflow-y-auto rounded-md border border-zinc-200 p-2">
                  {options.members.map((m) => (
                    <label key={m.id} className="flex items-center gap-2 text-sm text-zinc-800">
                      <input
                        type="checkbox"
                        className="h-4 w-4 rounded border-zinc-300"
                        checked={a.userIds.includes(m.id)}
                        onChange={(ev) => setAction(a.key, { userIds: ev.target.checked ? [...a.userIds, m.id] : a.userIds.filter((u) => u !== m.id) })}
                      />
                      {m.name}
                    </label>
                  ))}
                </div>
                {e("userIds") ? (
                  <p id={`${a.key}-users-error`} className="text-xs text-red-600">
                    {e("userIds")}
                  </p>
                ) : null}
              </fieldset>
            )}
          </div>
        );
      case "adjust_score":
        return (
          <Field label={tb("points")} error={e("points")} hint={tb("pointsHint")} className="sm:max-w-xs">
            {(p) => <Input {...p} type="number" step={1} min={-1000} max={1000} value={a.points} onChange={(ev) => setAction(a.key, { points: ev.target.value })} />}
          </Field>
        );
      case "webhook":
        return (
          <div className="grid gap-3">
            <Field label={tb("url")} error={e("url")}>
              {(p) => <Input {...p} type="url" inputMode="url" value={a.url} maxLength={2000} placeholder="https://example.com/hooks/pipewise" onChange={(ev) => setAction(a.key, { url: ev.target.value })} />}
            </Field>
            <Field label={tb("secret")} hint={tb("secretHint")}>
              {(p) => <Input {...p} readOnly value={a.secret || tb("secretNew")} className="font-mono text-xs text-zinc-600" onFocus={(ev) => ev.currentTarget.select()} />}
            </Field>
          </div>
        );
    }
  }

  const submit = () =>
    start(async () => {
      const payload = {
        workflowId: workflowId ?? null,
        name: draft.name,
        enabled: draft.enabled,
        trigger: {
          type: draft.trigger.type,
          pipelineId: isContactTrigger ? "" : draft.trigger.pipelineId,
          stageId: isContactTrigger ? "" : draft.trigger.stageId,
          fromStageId: draft.trigger.type === "deal.stage_changed" ? draft.trigger.fromStageId : "",
          field: draft.trigger.type === "deal.field_changed" ? draft.trigger.field : "",
        },
        conditions: { match: draft.conditions.match, rules: draft.conditions.rules.map(({ field, op, value }) => ({ field, op, value: unaryOps.includes(op) ? "" : value })) },
        actions: draft.actions.map(toPayload),
      };
      const res = await saveWorkflowAction(slug, undefined, payload);
      setResult(res);
      if (res.ok) {
        toast.success(tb("saved"));
        router.push(`/w/${slug}/automations`);
        router.refresh();
      } else if (res.code !== "VALIDATION") toast.error(errorText(res.message));
    });

  const formError = result && !result.ok && result.code === "VALIDATION" ? errorText(result.message) : null;

  return (
    <form
      className="space-y-4"
      onSubmit={(ev) => {
        ev.preventDefault();
        submit();
      }}
      noValidate
    >
      {formError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {formError}
        </p>
      ) : null}
      <Card className="p-4 sm:p-5">
        <Field label={tb("name")} error={err("name")}>
          {(p) => <Input {...p} value={draft.name} maxLength={120} placeholder={tb("namePlaceholder")} onChange={(ev) => setDraft((d) => ({ ...d, name: ev.target.value }))} />}
        </Field>
      </Card>

      <Section title={tb("triggerHeading")}>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={tb("trigger")} error={err("trigger.type")} className="sm:col-span-2">
            {(p) => (
              <Select
                {...p}
                value={draft.trigger.type}
                onChange={(ev) => {
                  const type = ev.target.value as WorkflowDraft["trigger"]["type"];
                  setDraft((d) => ({
                    ...d,
                    trigger: { ...d.trigger, type },
                    // Contact events have no deal: keep only the actions and fields that apply.
                    actions: type.startsWith("contact.") ? d.actions.filter((a) => !dealOnlyActions.includes(a.type) && !(a.type === "update_field" && a.field.startsWith("deal."))) : d.actions,
                    conditions: type.startsWith("contact.") ? { ...d.conditions, rules: d.conditions.rules.filter((r) => !r.field.startsWith("deal.")) } : d.conditions,
                  }));
                }}
              >
                {eventTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`triggers.${type.replace(".", "_")}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {!isContactTrigger ? (
            <>
              <Field label={tb("pipeline")} error={err("trigger.pipelineId")}>
                {(p) => (
                  <Select {...p} value={draft.trigger.pipelineId} onChange={(ev) => setTrigger({ pipelineId: ev.target.value, stageId: "", fromStageId: "" })}>
                    <option value="">{tb("anyPipeline")}</option>
                    {options.pipelines.map((pl) => (
                      <option key={pl.id} value={pl.id}>
                        {pl.name}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              {draft.trigger.type === "deal.stage_changed" ? (
                <Field label={tb("fromStage")} error={err("trigger.fromStageId")}>
                  {(p) => (
                    <Select {...p} value={draft.trigger.fromStageId} onChange={(ev) => setTrigger({ fromStageId: ev.target.value })}>
                      <option value="">{tb("anyStage")}</option>
                      {stageOptions(triggerStages)}
                    </Select>
                  )}
                </Field>
              ) : null}
              <Field label={draft.trigger.type === "deal.stage_changed" ? tb("toStage") : tb("inStage")} error={err("trigger.stageId")}>
                {(p) => (
                  <Select {...p} value={draft.trigger.stageId} onChange={(ev) => setTrigger({ stageId: ev.target.value })}>
                    <option value="">{tb("anyStage")}</option>
                    {stageOptions(triggerStages)}
                  </Select>
                )}
              </Field>
              {draft.trigger.type === "deal.field_changed" ? (
                <Field label={tb("changedField")} error={err("trigger.field")}>
                  {(p) => (
                    <Select {...p} value={draft.trigger.field} onChange={(ev) => setTrigger({ field: ev.target.value })}>
                      <option value="">{tb("anyField")}</option>
                      {dealChangeFields.map((f) => (
                        <option key={f} value={f}>
                          {t(`updatedFields.${f}`)}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              ) : null}
            </>
          ) : null}
        </div>
      </Section>

      <Section title={tb("conditionsHeading")} hint={tb("conditionsHint")}>
        {draft.conditions.rules.length > 1 ? (
          <Field label={tb("matchLabel")} className="sm:max-w-xs">
            {(p) => (
              <Select {...p} value={draft.conditions.match} onChange={(ev) => setDraft((d) => ({ ...d, conditions: { ...d.conditions, match: ev.target.value as "all" | "any" } }))}>
                <option value="all">{tb("matchAll")}</option>
                <option value="any">{tb("matchAny")}</option>
              </Select>
            )}
          </Field>
        ) : null}
        {draft.conditions.rules.length === 0 ? <p className="text-sm text-zinc-500">{tb("noConditions")}</p> : null}
        <ul className="space-y-3">
          {draft.conditions.rules.map((rule, i) => {
            const ops = opsFor(conditionFields[rule.field].type);
            const fields = conditionFieldKeys.filter((f) => !isContactTrigger || !f.startsWith("deal."));
            return (
              <li key={rule.key} className="grid items-start gap-2 rounded-md border border-zinc-200 p-3 sm:grid-cols-12 sm:border-0 sm:p-0">
                <Field label={tb("field")} error={err(`conditions.rules.${i}.field`)} className="sm:col-span-4">
                  {(p) => (
                    <Select
                      {...p}
                      value={rule.field}
                      onChange={(ev) => {
                        const field = ev.target.value as ConditionField;
                        const allowed = opsFor(conditionFields[field].type);
                        setRule(rule.key, { field, op: allowed.includes(rule.op) ? rule.op : allowed[0]!, value: "" });
                      }}
                    >
                      {(["deal", "contact", "owner"] as const).map((group) => (
                        <optgroup key={group} label={t(`fieldGroups.${group}`)}>
                          {fields
                            .filter((f) => f.startsWith(`${group}.`))
                            .map((f) => (
                              <option key={f} value={f}>
                                {t(fieldLabelKey(f))}
                              </option>
                            ))}
                        </optgroup>
                      ))}
                    </Select>
                  )}
                </Field>
                <Field label={tb("operator")} error={err(`conditions.rules.${i}.op`)} className="sm:col-span-3">
                  {(p) => (
                    <Select {...p} value={rule.op} onChange={(ev) => setRule(rule.key, { op: ev.target.value as ConditionOp })}>
                      {ops.map((op) => (
                        <option key={op} value={op}>
                          {t(`ops.${op}`)}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
                {unaryOps.includes(rule.op) ? <div className="hidden sm:col-span-4 sm:block" /> : valueInput(rule, i)}
                <div className="flex items-end sm:col-span-1 sm:h-full sm:pt-5">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={tb("removeCondition", { n: i + 1 })}
                    title={tb("removeCondition", { n: i + 1 })}
                    onClick={() => setDraft((d) => ({ ...d, conditions: { ...d.conditions, rules: d.conditions.rules.filter((r) => r.key !== rule.key) } }))}
                  >
                    <Trash2 className="h-4 w-4" aria-hidden />
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
        <Button
          variant="secondary"
          size="sm"
          disabled={draft.conditions.rules.length >= 20}
          onClick={() =>
            setDraft((d) => ({
              ...d,
              conditions: { ...d.conditions, rules: [...d.conditions.rules, { key: newKey(), field: isContactTrigger ? "contact.email" : "deal.value", op: isContactTrigger ? "contains" : "gt", value: "" }] },
            }))
          }
        >
          <Plus className="h-4 w-4" aria-hidden /> {tb("addCondition")}
        </Button>
      </Section>

      <Section title={tb("actionsHeading")}>
        {err("actions") ? <p className="text-sm text-red-600">{err("actions")}</p> : null}
        <ol className="space-y-3">
          {draft.actions.map((a, i) => (
            <li key={a.key} className="rounded-md border border-zinc-200 bg-zinc-50/60 p-3">
              <div className="mb-3 flex flex-wrap items-end gap-2">
                <Field label={tb("actionHeading", { n: i + 1 })} error={err(`actions.${i}.type`)} className="min-w-48 flex-1 sm:max-w-xs">
                  {(p) => (
                    <Select {...p} value={a.type} onChange={(ev) => setAction(a.key, { ...blankAction(ev.target.value as ActionType), key: a.key })}>
                      {actionTypes
                        .filter((type) => !isContactTrigger || !dealOnlyActions.includes(type))
                        .map((type) => (
                          <option key={type} value={type}>
                            {t(`actionTypes.${type}`)}
                          </option>
                        ))}
                    </Select>
                  )}
                </Field>
                <div className="ml-auto flex gap-1">
                  <Button variant="ghost" size="sm" disabled={i === 0} aria-label={tb("moveUp", { n: i + 1 })} title={tb("moveUp", { n: i + 1 })} onClick={() => moveAction(i, -1)}>
                    <ArrowUp className="h-4 w-4" aria-hidden />
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={i === draft.actions.length - 1}
                    aria-label={tb("moveDown", { n: i + 1 })}
                    title={tb("moveDown", { n: i + 1 })}
                    onClick={() => moveAction(i, 1)}
                  >
                    <ArrowDown className="h-4 w-4" aria-hidden />
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={tb("removeAction", { n: i + 1 })}
                    title={tb("removeAction", { n: i + 1 })}
                    onClick={() => setDraft((d) => ({ ...d, actions: d.actions.filter((x) => x.key !== a.key) }))}
                  >
                    <Trash2 className="h-4 w-4" aria-hidden />
                  </Button>
                </div>
              </div>
              {actionFields(a, i)}
            </li>
          ))}
        </ol>
        {draft.actions.length === 0 ? <p className="text-sm text-zinc-500">{tb("noActionsYet")}</p> : null}
        <Button variant="secondary" size="sm" disabled={draft.actions.length >= 20} onClick={() => setDraft((d) => ({ ...d, actions: [...d.actions, blankAction()] }))}>
          <Plus className="h-4 w-4" aria-hidden /> {tb("addAction")}
        </Button>
      </Section>

      <Card className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between sm:p-5">
        <label className="flex items-center gap-2 text-sm text-zinc-800">
          <input type="checkbox" className="h-4 w-4 rounded border-zinc-300" checked={draft.enabled} onChange={(ev) => setDraft((d) => ({ ...d, enabled: ev.target.checked }))} />
          {tb("enabled")}
        </label>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => router.push(`/w/${slug}/automations`)}>
            {t("cancel")}
          </Button>
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? tb("saving") : tb("save")}
          </Button>
        </div>
      </Card>
    </form>
  );
}
