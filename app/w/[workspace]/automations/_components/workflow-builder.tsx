"use client";

import { useId, useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ArrowDown, ArrowUp, Clock, GitBranch, Plus, Trash2 } from "lucide-react";
import type { ActionState } from "@/lib/actions";
import { eventTypes } from "@/lib/events/types";
import {
  actionTypes,
  conditionFieldKeys,
  conditionFields,
  customConditionType,
  dealChangeFields,
  dealOnlyActions,
  fieldLabelKey,
  opsFor,
  unaryOps,
  updatableFieldKeys,
  updatableFields,
  type ConditionOp,
  type FieldType,
} from "@/lib/workflows/fields";
import type { BuilderOptions } from "@/lib/workflows/queries";
import { waitDateFields } from "@/lib/workflows/schema";
import { useErrorText } from "../../../../_components/form";
import { Button, Card, Input, Select, Textarea } from "../../../../_components/ui";
import { cn } from "../../../../_components/cn";
import { saveWorkflowAction } from "../actions";
import { blankAction, builtInActivityTypes, newKey, ruleFromDraft, toPayload, type ActionDraft, type ActionType, type RuleDraft, type WorkflowDraft } from "./draft";

type ConditionsDraft = WorkflowDraft["conditions"];

/** Contact events have no deal: the steps (and branch conditions) that need one are dropped. */
function contactSafe(steps: ActionDraft[]): ActionDraft[] {
  return steps
    .filter((a) => !(dealOnlyActions as readonly string[]).includes(a.type) && !(a.type === "update_field" && a.field.startsWith("deal.")) && !(a.type === "wait" && a.waitMode === "until_date"))
    .map((a) => (a.type === "branch" ? { ...a, rules: a.rules.filter((r) => !r.field.startsWith("deal.")), then: contactSafe(a.then), else: contactSafe(a.else) } : a));
}

/** Applies `f` to the step with this key, wherever it is (top level or in a branch's arm). */
function patchStep(steps: ActionDraft[], key: string, f: (a: ActionDraft) => ActionDraft): ActionDraft[] {
  return steps.map((a) => (a.key === key ? f(a) : a.type === "branch" ? { ...a, then: patchStep(a.then, key, f), else: patchStep(a.else, key, f) } : a));
}

/** Removes, or moves by ±1 within its own list, the step with this key. */
function editList(steps: ActionDraft[], key: string, op: { remove: true } | { by: number }): ActionDraft[] {
  const i = steps.findIndex((a) => a.key === key);
  if (i >= 0) {
    const next = [...steps];
    const [step] = next.splice(i, 1);
    if ("by" in op) next.splice(i + op.by, 0, step!);
    return next;
  }
  return steps.map((a) => (a.type === "branch" ? { ...a, then: editList(a.then, key, op), else: editList(a.else, key, op) } : a));
}

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
  const isActivityTrigger = draft.trigger.type.startsWith("activity.");
  const allStages = options.pipelines.flatMap((p) => p.stages.map((s) => ({ ...s, pipelineId: p.id, pipelineName: p.name })));
  const triggerStages = draft.trigger.pipelineId ? allStages.filter((s) => s.pipelineId === draft.trigger.pipelineId) : allStages;

  const setTrigger = (patch: Partial<WorkflowDraft["trigger"]>) => setDraft((d) => ({ ...d, trigger: { ...d.trigger, ...patch } }));
  const setSteps = (f: (steps: ActionDraft[]) => ActionDraft[]) => setDraft((d) => ({ ...d, actions: f(d.actions) }));
  const setAction = (key: string, patch: Partial<ActionDraft>) => setSteps((steps) => patchStep(steps, key, (a) => ({ ...a, ...patch })));

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
  /** Built-in activity types, then the workspace's own (the action's type and the trigger's narrowing). */
  const activityTypeOptions = [
    ...builtInActivityTypes.map((type) => (
      <option key={type} value={type}>
        {tActivities(`types.${type}`)}
      </option>
    )),
    ...options.customActivityTypes.map((type) => (
      <option key={type.id} value={type.id}>
        {type.label}
      </option>
    )),
  ];
  const memberOptions = options.members.map((m) => (
    <option key={m.id} value={m.id}>
      {m.name}
    </option>
  ));

  /** A condition field's type and choices: built-in, or one of the workspace's custom fields. */
  const customByPath = new Map(options.customFields.map((f) => [f.path, f]));
  const ruleDef = (field: string): { type: FieldType; options?: readonly string[]; custom?: (typeof options.customFields)[number] } => {
    const custom = customByPath.get(field);
    if (custom) return { type: customConditionType(custom.type), custom };
    return (conditionFields as Record<string, { type: FieldType; options?: readonly string[] }>)[field] ?? { type: "text" };
  };

  function valueInput(rule: RuleDraft, at: string, setRule: (key: string, patch: Partial<RuleDraft>) => void) {
    const def = ruleDef(rule.field);
    const props = { value: rule.value, onChange: (e: { target: { value: string } }) => setRule(rule.key, { value: e.target.value }) };
    const error = err(`${at}.value`);
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
              {def.custom?.type === "checkbox"
                ? (["true", "false"] as const).map((o) => (
                    <option key={o} value={o}>
                      {o === "true" ? tb("yes") : tb("no")}
                    </option>
                  ))
                : def.custom && (def.type === "enum" || def.type === "multi")
                  ? def.custom.options.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))
                  : def.type === "enum"
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

  /** The member picker of an action that names one person (assignee, owner, who to notify). */
  const memberField = (a: ActionDraft, label: string, error: string | undefined, className?: string) => (
    <Field label={label} error={error} className={className}>
      {(p) => (
        <Select {...p} value={a.userId} onChange={(ev) => setAction(a.key, { userId: ev.target.value })}>
          <option value="">{tb("pickOne")}</option>
          {memberOptions}
        </Select>
      )}
    </Field>
  );

  function actionFields(a: ActionDraft, path: string, inBranch: boolean) {
    const e = (name: string) => err(`${path}.${name}`);
    switch (a.type) {
      case "wait":
        return waitFields(a, e);
      case "branch":
        return inBranch ? null : branchFields(a, path);
      case "create_activity":
        return (
          <div className="grid gap-3 sm:grid-cols-6">
            <Field label={tb("activityType")} error={e("activityType")} className="sm:col-span-2">
              {(p) => (
                <Select {...p} value={a.activityType} onChange={(ev) => setAction(a.key, { activityType: ev.target.value })}>
                  {activityTypeOptions}
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
              memberField(a, tb("person"), e("userId"), "sm:col-span-3")
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
        const customField = customByPath.get(a.field);
        const type = customField ? customConditionType(customField.type) : updatableFields[a.field as keyof typeof updatableFields];
        const fields = updatableFieldKeys.filter((f) => !isContactTrigger || f.startsWith("contact."));
        const customFields = options.customFields.filter((f) => !isContactTrigger || f.entity === "contact");
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
                  {customFields.length ? (
                    <optgroup label={tb("customFields")}>
                      {customFields.map((f) => (
                        <option key={f.path} value={f.path}>
                          {t(`fieldGroups.${f.entity}`)}: {f.label}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                </Select>
              )}
            </Field>
            <Field label={tb("newValue")} error={e("value")}>
              {(p) =>
                customField && (type === "enum" || type === "user") ? (
                  <Select {...p} value={a.value} onChange={(ev) => setAction(a.key, { value: ev.target.value })}>
                    <option value="">{tb("clearValue")}</option>
                    {customField.type === "checkbox"
                      ? (["true", "false"] as const).map((o) => (
                          <option key={o} value={o}>
                            {o === "true" ? tb("yes") : tb("no")}
                          </option>
                        ))
                      : type === "user"
                        ? memberOptions
                        : customField.options.map((o) => (
                            <option key={o.id} value={o.id}>
                              {o.label}
                            </option>
                          ))}
                  </Select>
                ) : type === "enum" ? (
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
                    min={type === "number" && !customField ? 0 : undefined}
                    placeholder={customField?.type === "multi_select" ? customField.options.map((o) => o.label).join("; ") : undefined}
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
              memberField(a, tb("owner"), e("userId"))
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
      case "notify":
        return (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={tb("notifyTo")} error={e("to")}>
              {(p) => (
                <Select {...p} value={a.to} onChange={(ev) => setAction(a.key, { to: ev.target.value as ActionDraft["to"] })}>
                  <option value="owner">{isContactTrigger ? tb("assignToContactOwner") : tb("assignToDealOwner")}</option>
                  <option value="user">{tb("assignToUser")}</option>
                </Select>
              )}
            </Field>
            {a.to === "user" ? (
              memberField(a, tb("person"), e("userId"))
            ) : (
              <div className="hidden sm:block" />
            )}
            <Field label={tb("notifyMessage")} error={e("message")} hint={tb("notifyMessageHint")} className="sm:col-span-2">
              {(p) => <Textarea {...p} rows={2} value={a.message} maxLength={500} onChange={(ev) => setAction(a.key, { message: ev.target.value })} />}
            </Field>
          </div>
        );
      case "send_email":
        return (
          <div className="grid gap-3">
            <Field label={tb("emailSubject")} error={e("subject")}>
              {(p) => <Input {...p} value={a.subject} maxLength={300} placeholder={tb("emailSubjectPlaceholder")} onChange={(ev) => setAction(a.key, { subject: ev.target.value })} />}
            </Field>
            <Field label={tb("emailBody")} error={e("body")} hint={tb("emailBodyHint")}>
              {(p) => <Textarea {...p} rows={5} value={a.body} maxLength={20000} onChange={(ev) => setAction(a.key, { body: ev.target.value })} />}
            </Field>
          </div>
        );
      case "enroll_sequence":
        return (
          <Field label={tb("sequence")} error={e("sequenceId")} hint={options.sequences.length === 0 ? tb("noSequences") : tb("enrollHint")} className="sm:max-w-sm">
            {(p) => (
              <Select {...p} value={a.sequenceId} onChange={(ev) => setAction(a.key, { sequenceId: ev.target.value })}>
                <option value="">{tb("pickOne")}</option>
                {options.sequences.map((sq) => (
                  <option key={sq.id} value={sq.id}>
                    {sq.name}
                  </option>
                ))}
              </Select>
            )}
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

  function waitFields(a: ActionDraft, e: (name: string) => string | undefined) {
    return (
      <div className="grid gap-3 sm:grid-cols-6">
        <Field label={tb("waitMode")} error={e("mode")} className="sm:col-span-2">
          {(p) => (
            <Select {...p} value={a.waitMode} onChange={(ev) => setAction(a.key, { waitMode: ev.target.value as ActionDraft["waitMode"] })}>
              <option value="duration">{tb("waitDuration")}</option>
              {!isContactTrigger ? <option value="until_date">{tb("waitUntilDate")}</option> : null}
              <option value="until_event">{tb("waitUntilEvent")}</option>
            </Select>
          )}
        </Field>
        {a.waitMode === "until_date" ? (
          <>
            <Field label={tb("waitDateField")} error={e("dateField")} className="sm:col-span-2">
              {(p) => (
                <Select {...p} value={a.dateField} onChange={(ev) => setAction(a.key, { dateField: ev.target.value })}>
                  {waitDateFields.map((f) => (
                    <option key={f} value={f}>
                      {t(fieldLabelKey(f))}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={tb("offsetDays")} error={e("offsetDays")} hint={tb("offsetDaysHint")} className="sm:col-span-2">
              {(p) => <Input {...p} type="number" min={-365} max={365} step={1} value={a.offsetDays} onChange={(ev) => setAction(a.key, { offsetDays: ev.target.value })} />}
            </Field>
          </>
        ) : (
          <>
            {a.waitMode === "until_event" ? (
              <Field label={tb("waitEvent")} error={e("event")} className="sm:col-span-2">
                {(p) => (
                  <Select {...p} value={a.event} onChange={(ev) => setAction(a.key, { event: ev.target.value })}>
                    <option value="">{tb("pickOne")}</option>
                    {eventTypes.map((type) => (
                      <option key={type} value={type}>
                        {t(`triggers.${type.replace(".", "_")}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            ) : null}
            <Field label={a.waitMode === "until_event" ? tb("waitTimeout") : tb("waitFor")} error={e("amount")} className="sm:col-span-1">
              {(p) => <Input {...p} type="number" min={1} max={10000} step={1} value={a.amount} onChange={(ev) => setAction(a.key, { amount: ev.target.value })} />}
            </Field>
            <Field label={<span className="sr-only sm:not-sr-only">&nbsp;</span>} className="sm:col-span-1">
              {(p) => (
                <Select {...p} aria-label={tb("waitUnit")} value={a.unit} onChange={(ev) => setAction(a.key, { unit: ev.target.value as ActionDraft["unit"] })}>
                  <option value="minutes">{tb("minutes")}</option>
                  <option value="hours">{tb("hours")}</option>
                  <option value="days">{tb("days")}</option>
                </Select>
              )}
            </Field>
          </>
        )}
      </div>
    );
  }

  function branchFields(a: ActionDraft, path: string) {
    const addTo = (arm: "then" | "else") => (step: ActionDraft) => setSteps((steps) => patchStep(steps, a.key, (b) => ({ ...b, [arm]: [...b[arm], step] })));
    return (
      <div className="space-y-4">
        <div className="space-y-3">
          <p className="text-xs font-medium text-zinc-600">{tb("branchIf")}</p>
          {conditionsEditor({ match: a.match, rules: a.rules }, (g) => setAction(a.key, { match: g.match, rules: g.rules }), `${path}.conditions`)}
        </div>
        {err(`${path}.then`) ? <p className="text-sm text-red-600">{err(`${path}.then`)}</p> : null}
        <div className="space-y-3">
          {(["then", "else"] as const).map((arm) => (
            <section
              key={arm}
              aria-label={arm === "then" ? tb("branchYes") : tb("branchNo")}
              className={cn("space-y-3 rounded-md border border-l-4 border-zinc-200 bg-white p-3", arm === "then" ? "border-l-emerald-400" : "border-l-amber-400")}
            >
              <h3 className={cn("text-xs font-semibold tracking-wide uppercase", arm === "then" ? "text-emerald-700" : "text-amber-700")}>{arm === "then" ? tb("branchYes") : tb("branchNo")}</h3>
              {stepList(a[arm], `${path}.${arm}`, true, addTo(arm))}
            </section>
          ))}
        </div>
      </div>
    );
  }

  /** A vertical flow of steps (the workflow's, or one arm of a branch) with its add buttons. */
  function stepList(steps: ActionDraft[], path: string, inBranch: boolean, add: (step: ActionDraft) => void) {
    return (
      <>
        <ol className="space-y-3">
          {steps.map((a, i) => (
            <li
              key={a.key}
              className={cn(
                "rounded-md border p-3",
                a.type === "wait" ? "border-dashed border-zinc-300 bg-white" : a.type === "branch" ? "border-indigo-200 bg-indigo-50/40" : "border-zinc-200 bg-zinc-50/60",
              )}
            >
              <div className="mb-3 flex flex-wrap items-end gap-2">
                <Field label={tb("actionHeading", { n: i + 1 })} error={err(`${path}.${i}.type`)} className="min-w-48 flex-1 sm:max-w-xs">
                  {(p) => (
                    <Select {...p} value={a.type} onChange={(ev) => setAction(a.key, { ...blankAction(ev.target.value as ActionType), key: a.key })}>
                      <optgroup label={tb("actionsGroup")}>
                        {actionTypes
                          .filter((type) => !isContactTrigger || !dealOnlyActions.includes(type))
                          .map((type) => (
                            <option key={type} value={type}>
                              {t(`actionTypes.${type}`)}
                            </option>
                          ))}
                      </optgroup>
                      <optgroup label={tb("flowGroup")}>
                        <option value="wait">{t("actionTypes.wait")}</option>
                        {!inBranch ? <option value="branch">{t("actionTypes.branch")}</option> : null}
                      </optgroup>
                    </Select>
                  )}
                </Field>
                <div className="ml-auto flex gap-1">
                  <Button variant="ghost" size="sm" disabled={i === 0} aria-label={tb("moveUp", { n: i + 1 })} title={tb("moveUp", { n: i + 1 })} onClick={() => setSteps((all) => editList(all, a.key, { by: -1 }))}>
                    <ArrowUp className="h-4 w-4" aria-hidden />
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={i === steps.length - 1}
                    aria-label={tb("moveDown", { n: i + 1 })}
                    title={tb("moveDown", { n: i + 1 })}
                    onClick={() => setSteps((all) => editList(all, a.key, { by: 1 }))}
                  >
                    <ArrowDown className="h-4 w-4" aria-hidden />
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={tb("removeAction", { n: i + 1 })}
                    title={tb("removeAction", { n: i + 1 })}
                    onClick={() => setSteps((all) => editList(all, a.key, { remove: true }))}
                  >
                    <Trash2 className="h-4 w-4" aria-hidden />
                  </Button>
                </div>
              </div>
              {actionFields(a, `${path}.${i}`, inBranch)}
            </li>
          ))}
        </ol>
        {steps.length === 0 ? <p className="text-sm text-zinc-500">{inBranch ? tb("armEmpty") : tb("noActionsYet")}</p> : null}
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" size="sm" disabled={steps.length >= 20} onClick={() => add(blankAction())}>
            <Plus className="h-4 w-4" aria-hidden /> {tb("addAction")}
          </Button>
          <Button variant="secondary" size="sm" disabled={steps.length >= 20} onClick={() => add(blankAction("wait"))}>
            <Clock className="h-4 w-4" aria-hidden /> {tb("addWait")}
          </Button>
          {!inBranch ? (
            <Button variant="secondary" size="sm" disabled={steps.length >= 20} onClick={() => add(blankAction("branch"))}>
              <GitBranch className="h-4 w-4" aria-hidden /> {tb("addBranch")}
            </Button>
          ) : null}
        </div>
      </>
    );
  }

  function conditionsEditor(group: ConditionsDraft, setGroup: (group: ConditionsDraft) => void, at: string) {
    const setRule = (key: string, patch: Partial<RuleDraft>) => setGroup({ ...group, rules: group.rules.map((r) => (r.key === key ? { ...r, ...patch } : r)) });
    return (
      <>
        {group.rules.length > 1 ? (
          <Field label={tb("matchLabel")} className="sm:max-w-xs">
            {(p) => (
              <Select {...p} value={group.match} onChange={(ev) => setGroup({ ...group, match: ev.target.value as "all" | "any" })}>
                <option value="all">{tb("matchAll")}</option>
                <option value="any">{tb("matchAny")}</option>
              </Select>
            )}
          </Field>
        ) : null}
        {group.rules.length === 0 ? <p className="text-sm text-zinc-500">{tb("noConditions")}</p> : null}
        <ul className="space-y-3">
          {group.rules.map((rule, i) => {
            const ops = opsFor(ruleDef(rule.field).type);
            const fields = conditionFieldKeys.filter((f) => (!isContactTrigger || !f.startsWith("deal.")) && (isActivityTrigger || !f.startsWith("activity.")));
            return (
              <li key={rule.key} className="grid items-start gap-2 rounded-md border border-zinc-200 p-3 sm:grid-cols-12 sm:border-0 sm:p-0">
                <Field label={tb("field")} error={err(`${at}.rules.${i}.field`)} className="sm:col-span-4">
                  {(p) => (
                    <Select
                      {...p}
                      value={rule.field}
                      onChange={(ev) => {
                        const field = ev.target.value;
                        const allowed = opsFor(ruleDef(field).type);
                        setRule(rule.key, { field, op: allowed.includes(rule.op) ? rule.op : allowed[0]!, value: "" });
                      }}
                    >
                      {(isActivityTrigger ? (["activity", "deal", "contact", "owner"] as const) : (["deal", "contact", "owner"] as const)).map((group) => (
                        <optgroup key={group} label={t(`fieldGroups.${group}`)}>
                          {fields
                            .filter((f) => f.startsWith(`${group}.`))
                            .map((f) => (
                              <option key={f} value={f}>
                                {t(fieldLabelKey(f))}
                              </option>
                            ))}
                          {options.customFields
                            .filter((f) => f.entity === group && (!isContactTrigger || group !== "deal"))
                            .map((f) => (
                              <option key={f.path} value={f.path}>
                                {f.label}
                              </option>
                            ))}
                        </optgroup>
                      ))}
                    </Select>
                  )}
                </Field>
                <Field label={tb("operator")} error={err(`${at}.rules.${i}.op`)} className="sm:col-span-3">
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
                {unaryOps.includes(rule.op) ? <div className="hidden sm:col-span-4 sm:block" /> : valueInput(rule, `${at}.rules.${i}`, setRule)}
                <div className="flex items-end sm:col-span-1 sm:h-full sm:pt-5">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={tb("removeCondition", { n: i + 1 })}
                    title={tb("removeCondition", { n: i + 1 })}
                    onClick={() => setGroup({ ...group, rules: group.rules.filter((r) => r.key !== rule.key) })}
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
          disabled={group.rules.length >= 20}
          onClick={() => setGroup({ ...group, rules: [...group.rules, { key: newKey(), field: isContactTrigger ? "contact.email" : "deal.value", op: isContactTrigger ? "contains" : "gt", value: "" }] })}
        >
          <Plus className="h-4 w-4" aria-hidden /> {tb("addCondition")}
        </Button>
      </>
    );
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
          activityType: isActivityTrigger ? draft.trigger.activityType : "",
          quietMinutes: draft.trigger.quietMinutes,
        },
        conditions: { match: draft.conditions.match, rules: draft.conditions.rules.map((r) => ruleFromDraft(r, unaryOps)) },
        actions: draft.actions.map((a) => toPayload(a, unaryOps)),
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
                    actions: type.startsWith("contact.") ? contactSafe(d.actions) : d.actions,
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
              {isActivityTrigger ? (
                <Field label={tb("activityType_trigger")} error={err("trigger.activityType")}>
                  {(p) => (
                    <Select {...p} value={draft.trigger.activityType} onChange={(ev) => setTrigger({ activityType: ev.target.value })}>
                      <option value="">{tb("anyActivityType")}</option>
                      {activityTypeOptions}
                    </Select>
                  )}
                </Field>
              ) : null}
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
          <Field label={tb("quietMinutes")} error={err("trigger.quietMinutes")} hint={tb("quietMinutesHint")}>
            {(p) => <Input {...p} type="number" min={0} max={1440} step={1} value={draft.trigger.quietMinutes} onChange={(ev) => setTrigger({ quietMinutes: ev.target.value })} />}
          </Field>
        </div>
      </Section>

      <Section title={tb("conditionsHeading")} hint={tb("conditionsHint")}>
        {conditionsEditor(draft.conditions, (conditions) => setDraft((d) => ({ ...d, conditions })), "conditions")}
      </Section>

      <Section title={tb("actionsHeading")}>
        {err("actions") ? <p className="text-sm text-red-600">{err("actions")}</p> : null}
        {stepList(draft.actions, "actions", false, (step) => setSteps((steps) => [...steps, step]))}
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
