"use client";

import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ArrowDown, ArrowUp, Mail, MessageSquare, Plus, SquareCheck, Trash2 } from "lucide-react";
import { checkTemplate } from "@/lib/sequences/template";
import { Button, Card, Input, Select, Textarea } from "../../../../_components/ui";
import { previewTemplateAction, saveSequenceAction } from "../actions";

type Kind = "email" | "sms" | "task";
type Unit = "minutes" | "hours" | "business_days";
type Variant = { id: string | null; subject: string; body: string };
type Step = { key: string; id: string | null; kind: Kind; delayAmount: number; delayUnit: Unit; threadReply: boolean; taskType: string | null; variants: Variant[] };
export type BuilderSequence = {
  id: string | null;
  name: string;
  description: string;
  windowDays: number[];
  windowStartMinute: number;
  windowEndMinute: number;
  dailyLimit: number;
  stopOnMeeting: boolean;
  stopOnDealWon: boolean;
  stopOnDealLost: boolean;
  stopOnUnsubscribe: boolean;
  stopOnBounce: boolean;
  stopCompanyOnReply: boolean;
  autoReplyPauseDays: number;
  steps: Omit<Step, "key">[];
};

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const minutes = (v: string) => {
  const [h, m] = v.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
let counter = 0;
const key = () => `s${++counter}`;

/** The sequence builder: settings, then the steps in order, each with its delay and content (A/B variants for email). */
export function SequenceBuilder({
  slug,
  initial,
  customKeys,
  contacts,
}: {
  slug: string;
  initial: BuilderSequence;
  customKeys: { contact: string[]; company: string[]; deal: string[] };
  contacts: { id: string; name: string }[];
}) {
  const t = useTranslations("sequences.builder");
  const te = useTranslations("errors");
  const router = useRouter();
  const uid = useId();
  const [pending, start] = useTransition();
  const [s, setS] = useState(() => ({ ...initial, steps: initial.steps.map((st) => ({ ...st, key: key() })) }));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [previewContact, setPreviewContact] = useState(contacts[0]?.id ?? "");
  const [preview, setPreview] = useState<{ at: string; subject: string; text: string } | null>(null);

  const set = <K extends keyof typeof s>(k: K, v: (typeof s)[K]) => setS((prev) => ({ ...prev, [k]: v }));
  const setStep = (i: number, patch: Partial<Step>) => setS((prev) => ({ ...prev, steps: prev.steps.map((st, j) => (j === i ? { ...st, ...patch } : st)) }));
  const setVariant = (i: number, v: number, patch: Partial<Variant>) =>
    setStep(i, { variants: s.steps[i]!.variants.map((x, j) => (j === v ? { ...x, ...patch } : x)) });
  const addStep = (kind: Kind) =>
    set("steps", [
      ...s.steps,
      { key: key(), id: null, kind, delayAmount: s.steps.length ? 2 : 0, delayUnit: s.steps.length ? "business_days" : "minutes", threadReply: false, taskType: kind === "task" ? "call" : null, variants: [{ id: null, subject: "", body: "" }] },
    ]);
  const move = (i: number, d: -1 | 1) => {
    const steps = [...s.steps];
    const [x] = steps.splice(i, 1);
    steps.splice(i + d, 0, x!);
    set("steps", steps);
  };
  const err = (path: string) => errors[path]?.map((k) => te(k.replace(/^errors\./, "") as "required")).join(" ");
  const unknown = (text: string) =>
    checkTemplate(text, customKeys)
      .map((p) => (p.kind === "unknown_field" ? t("unknownField", { field: p.path }) : t("malformedTag")))
      .join(" ");

  function save() {
    start(async () => {
      const { steps, ...rest } = s;
      const res = await saveSequenceAction(slug, undefined, { ...rest, sequenceId: s.id, steps: steps.map((st) => ({ id: st.id, kind: st.kind, delayAmount: st.delayAmount, delayUnit: st.delayUnit, threadReply: st.threadReply, taskType: st.taskType, variants: st.variants })) });
      if (res.ok) {
        toast.success(t("saved"));
        setErrors({});
        router.push(`/w/${slug}/sequences/${(res.data as { id: string }).id}`);
      } else {
        setErrors(res.fieldErrors ?? {});
        toast.error(te(res.message.replace(/^errors\./, "") as "VALIDATION"));
      }
    });
  }

  function runPreview(i: number, v: number) {
    const step = s.steps[i]!;
    const variant = step.variants[v]!;
    if (!previewContact) return;
    start(async () => {
      const res = await previewTemplateAction(slug, undefined, { contactId: previewContact, subject: variant.subject, body: variant.body, kind: step.kind });
      if (res.ok && res.data) setPreview({ at: `${i}.${v}`, subject: res.data.subject, text: res.data.text });
      else if (!res.ok) toast.error(te(res.message.replace(/^errors\./, "") as "VALIDATION"));
    });
  }

  const days = [1, 2, 3, 4, 5, 6, 7] as const;
  return (
    <div className="space-y-6">
      <Card className="space-y-4 p-5">
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="block text-sm">
            <span className="font-medium text-zinc-700">{t("name")}</span>
            <Input className="mt-1" value={s.name} onChange={(e) => set("name", e.target.value)} aria-invalid={!!errors.name} required />
            {err("name") ? <span className="mt-1 block text-xs text-red-600">{err("name")}</span> : null}
          </label>
          <label className="block text-sm">
            <span className="font-medium text-zinc-700">{t("description")}</span>
            <Input className="mt-1" value={s.description} onChange={(e) => set("description", e.target.value)} />
          </label>
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-zinc-700">{t("window")}</legend>
          <p className="text-xs text-zinc-500">{t("windowHint")}</p>
          <div className="mt-2 flex flex-wrap items-center gap-3">
            {days.map((d) => (
              <label key={d} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={s.windowDays.includes(d)} onChange={(e) => set("windowDays", e.target.checked ? [...s.windowDays, d].sort() : s.windowDays.filter((x) => x !== d))} />
                {t(`days.${d}`)}
              </label>
            ))}
          </div>
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <label className="flex items-center gap-2">
              {t("from")}
              <Input type="time" className="w-32" value={hhmm(s.windowStartMinute)} onChange={(e) => set("windowStartMinute", minutes(e.target.value))} />
            </label>
            <label className="flex items-center gap-2">
              {t("to")}
              <Input type="time" className="w-32" value={hhmm(s.windowEndMinute % 1440)} onChange={(e) => set("windowEndMinute", minutes(e.target.value) || 1440)} aria-invalid={!!errors.windowEndMinute} />
            </label>
          </div>
          {err("windowEndMinute") || err("windowDays") ? <p className="mt-1 text-xs text-red-600">{err("windowEndMinute") ?? err("windowDays")}</p> : null}
          <p className="mt-1 text-xs text-zinc-500">{t("smsHours")}</p>
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="block text-sm">
            <span className="font-medium text-zinc-700">{t("dailyLimit")}</span>
            <Input type="number" min={1} max={5000} className="mt-1" value={s.dailyLimit} onChange={(e) => set("dailyLimit", Number(e.target.value))} />
          </label>
          <label className="block text-sm">
            <span className="font-medium text-zinc-700">{t("autoReplyPauseDays")}</span>
            <Input type="number" min={1} max={60} className="mt-1" value={s.autoReplyPauseDays} onChange={(e) => set("autoReplyPauseDays", Number(e.target.value))} />
          </label>
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-zinc-700">{t("stopOn")}</legend>
          <div className="mt-2 grid gap-2 text-sm sm:grid-cols-2">
            <label className="flex items-center gap-2 text-zinc-500">
              <input type="checkbox" checked disabled /> {t("stopReply")}
            </label>
            {(["stopOnMeeting", "stopOnDealWon", "stopOnDealLost", "stopOnUnsubscribe", "stopOnBounce", "stopCompanyOnReply"] as const).map((k) => (
              <label key={k} className="flex items-center gap-2">
                <input type="checkbox" checked={s[k]} onChange={(e) => set(k, e.target.checked)} /> {t(k)}
              </label>
            ))}
          </div>
        </fieldset>
      </Card>

      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 className="text-base font-semibold">{t("steps")}</h2>
        {contacts.length ? (
          <label className="flex items-center gap-2 text-sm">
            {t("previewFor")}
            <Select className="w-56" value={previewContact} onChange={(e) => setPreviewContact(e.target.value)}>
              {contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </label>
        ) : null}
      </div>
      {err("steps") ? <p className="text-sm text-red-600">{err("steps")}</p> : null}
      <ol className="space-y-4">
        {s.steps.map((step, i) => (
          <li key={step.key}>
            <Card className="space-y-3 p-4" data-testid={`step-${i}`}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="flex h-6 w-6 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold">{i + 1}</span>
                <Select aria-label={t("kind")} className="w-36" value={step.kind} onChange={(e) => setStep(i, { kind: e.target.value as Kind, variants: step.variants.slice(0, e.target.value === "email" ? 5 : 1), taskType: e.target.value === "task" ? "call" : null })}>
                  <option value="email">{t("kinds.email")}</option>
                  <option value="sms">{t("kinds.sms")}</option>
                  <option value="task">{t("kinds.task")}</option>
                </Select>
                <span className="text-sm text-zinc-500">{i === 0 ? t("waitFirst") : t("waitAfter")}</span>
                <Input aria-label={t("delayAmount")} type="number" min={0} max={1000} className="w-20" value={step.delayAmount} onChange={(e) => setStep(i, { delayAmount: Number(e.target.value) })} />
                <Select aria-label={t("delayUnit")} className="w-auto min-w-40" value={step.delayUnit} onChange={(e) => setStep(i, { delayUnit: e.target.value as Unit })}>
                  <option value="minutes">{t("units.minutes")}</option>
                  <option value="hours">{t("units.hours")}</option>
                  <option value="business_days">{t("units.business_days")}</option>
                </Select>
                <div className="ml-auto flex gap-1">
                  <Button variant="ghost" size="sm" aria-label={t("moveUp", { n: i + 1 })} disabled={i === 0} onClick={() => move(i, -1)}>
                    <ArrowUp className="h-4 w-4" aria-hidden />
                  </Button>
                  <Button variant="ghost" size="sm" aria-label={t("moveDown", { n: i + 1 })} disabled={i === s.steps.length - 1} onClick={() => move(i, 1)}>
                    <ArrowDown className="h-4 w-4" aria-hidden />
                  </Button>
                  <Button variant="ghost" size="sm" aria-label={t("removeStep", { n: i + 1 })} onClick={() => set("steps", s.steps.filter((_, j) => j !== i))}>
                    <Trash2 className="h-4 w-4" aria-hidden />
                  </Button>
                </div>
              </div>
              {step.kind === "email" && i > 0 ? (
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={step.threadReply} onChange={(e) => setStep(i, { threadReply: e.target.checked })} /> {t("threadReply")}
                </label>
              ) : null}
              {err(`steps.${i}.threadReply`) ? <p className="text-xs text-red-600">{err(`steps.${i}.threadReply`)}</p> : null}
              {step.kind === "task" ? (
                <label className="flex items-center gap-2 text-sm">
                  {t("taskType")}
                  <Select className="w-40" value={step.taskType ?? "call"} onChange={(e) => setStep(i, { taskType: e.target.value })}>
                    {(["call", "task", "meeting", "email"] as const).map((k) => (
                      <option key={k} value={k}>
                        {t(`taskTypes.${k}`)}
                      </option>
                    ))}
                  </Select>
                </label>
              ) : null}
              {step.variants.map((v, j) => (
                <div key={j} className="space-y-2 rounded-md border border-zinc-100 bg-zinc-50/60 p-3">
                  {step.variants.length > 1 ? (
                    <div className="flex items-center justify-between text-xs font-medium text-zinc-600">
                      {t("variant", { letter: String.fromCharCode(65 + j) })}
                      <Button variant="ghost" size="sm" onClick={() => setStep(i, { variants: step.variants.filter((_, k) => k !== j) })}>
                        {t("removeVariant")}
                      </Button>
                    </div>
                  ) : null}
                  {step.kind === "email" && step.threadReply ? (
                    <p className="text-xs text-zinc-500">{t("threadSubject")}</p>
                  ) : step.kind !== "sms" ? (
                    <label className="block text-sm">
                      <span className="text-zinc-700">{step.kind === "task" ? t("taskTitle") : t("subject")}</span>
                      <Input id={`${uid}-${i}-${j}-subject`} className="mt-1" value={v.subject} onChange={(e) => setVariant(i, j, { subject: e.target.value })} aria-invalid={!!errors[`steps.${i}.variants.${j}.subject`]} />
                      <span className="mt-1 block text-xs text-red-600">{err(`steps.${i}.variants.${j}.subject`) ?? unknown(v.subject)}</span>
                    </label>
                  ) : null}
                  <label className="block text-sm">
                    <span className="text-zinc-700">{step.kind === "task" ? t("taskNotes") : step.kind === "sms" ? t("smsBody") : t("body")}</span>
                    <Textarea className="mt-1 min-h-28 font-mono text-xs" value={v.body} onChange={(e) => setVariant(i, j, { body: e.target.value })} aria-invalid={!!errors[`steps.${i}.variants.${j}.body`]} />
                    <span className="mt-1 block text-xs text-red-600">{err(`steps.${i}.variants.${j}.body`) ?? unknown(v.body)}</span>
                  </label>
                  <div className="flex flex-wrap gap-2">
                    {previewContact ? (
                      <Button variant="secondary" size="sm" disabled={pending} onClick={() => runPreview(i, j)}>
                        {t("preview")}
                      </Button>
                    ) : null}
                  </div>
                  {preview?.at === `${i}.${j}` ? (
                    <div className="rounded-md border border-zinc-200 bg-white p-3 text-sm" aria-live="polite" data-testid="preview">
                      {preview.subject ? <p className="font-medium">{preview.subject}</p> : null}
                      <p className="mt-1 whitespace-pre-wrap text-zinc-700">{preview.text}</p>
                    </div>
                  ) : null}
                </div>
              ))}
              {step.kind === "email" && step.variants.length < 5 ? (
                <Button variant="ghost" size="sm" onClick={() => setStep(i, { variants: [...step.variants, { id: null, subject: step.variants[0]?.subject ?? "", body: step.variants[0]?.body ?? "" }] })}>
                  <Plus className="h-4 w-4" aria-hidden /> {t("addVariant")}
                </Button>
              ) : null}
            </Card>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => addStep("email")}>
          <Mail className="h-4 w-4" aria-hidden /> {t("addEmail")}
        </Button>
        <Button variant="secondary" onClick={() => addStep("sms")}>
          <MessageSquare className="h-4 w-4" aria-hidden /> {t("addSms")}
        </Button>
        <Button variant="secondary" onClick={() => addStep("task")}>
          <SquareCheck className="h-4 w-4" aria-hidden /> {t("addTask")}
        </Button>
      </div>
      <p className="text-xs text-zinc-500">{t("mergeHelp")}</p>
      <div className="flex justify-end border-t border-zinc-200 pt-4">
        <Button onClick={save} disabled={pending || s.steps.length === 0}>
          {t("save")}
        </Button>
      </div>
    </div>
  );
}
