"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { toast } from "sonner";
import { Archive, ArchiveRestore, ArrowDown, ArrowUp, Copy, Kanban, MoreHorizontal, Pencil } from "lucide-react";
import type { ActionState } from "@/lib/actions";
import type { PipelineSummaryDTO } from "@/lib/pipelines/queries";
import { cn } from "../../../../../_components/cn";
import { FormMessage, SubmitButton, TextField, useErrorText } from "../../../../../_components/form";
import { Badge, Button } from "../../../../../_components/ui";
import {
  archivePipelineAction,
  createPipelineAction,
  duplicatePipelineAction,
  movePipelineAction,
  renamePipelineAction,
  restorePipelineAction,
} from "../actions";
import { LabelForm } from "./label-form";

const settingsHref = (slug: string, pipelineId: string) => `/w/${slug}/settings/pipelines?pipeline=${pipelineId}`;

export function CreatePipelineForm({ slug, defaultStageNames }: { slug: string; defaultStageNames: string[] }) {
  const t = useTranslations("pipelineSettings");
  const router = useRouter();
  const [state, action] = useActionState(createPipelineAction.bind(null, slug), undefined);
  useEffect(() => {
    if (state?.ok && state.data) {
      toast.success(t("pipelineCreated"));
      router.push(settingsHref(slug, state.data.id), { scroll: false });
    }
  }, [state, router, slug, t]);
  return (
    <form action={action} noValidate className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
      <div className="sm:col-span-2">
        <FormMessage state={state as ActionState | undefined} />
      </div>
      <TextField
        name="name"
        label={t("newPipelineName")}
        placeholder={t("newPipelinePlaceholder")}
        state={state}
        maxLength={80}
        autoComplete="off"
        hint={t("defaultStagesHint", { stages: defaultStageNames.join(", ") })}
      />
      <div className="sm:pt-6">
        <SubmitButton>{t("createPipeline")}</SubmitButton>
      </div>
    </form>
  );
}

export function PipelineList({ slug, pipelines, selectedId }: { slug: string; pipelines: PipelineSummaryDTO[]; selectedId: string | null }) {
  const t = useTranslations("pipelineSettings");
  const active = pipelines.filter((p) => !p.archived);
  const archived = pipelines.filter((p) => p.archived);
  return (
    <>
      <ul className="divide-y divide-zinc-100" aria-label={t("activePipelines")}>
        {active.map((p, i) => (
          <PipelineRow key={`${p.id}:${p.name}`} slug={slug} pipeline={p} selected={p.id === selectedId} first={i === 0} last={i === active.length - 1} />
        ))}
      </ul>
      {archived.length > 0 ? (
        <div className="border-t border-zinc-200">
          <h3 className="bg-zinc-50 px-4 py-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase sm:px-6">{t("archivedTitle", { count: archived.length })}</h3>
          <ul className="divide-y divide-zinc-100" aria-label={t("archivedPipelines")}>
            {archived.map((p, i) => (
              <PipelineRow key={`${p.id}:${p.name}`} slug={slug} pipeline={p} selected={p.id === selectedId} first={i === 0} last={i === archived.length - 1} />
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

const menuItem = "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100 data-[disabled]:cursor-not-allowed data-[disabled]:opacity-50";

function PipelineRow({ slug, pipeline, selected, first, last }: { slug: string; pipeline: PipelineSummaryDTO; selected: boolean; first: boolean; last: boolean }) {
  const t = useTranslations("pipelineSettings");
  const errorText = useErrorText();
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [pending, start] = useTransition();

  const run = (call: () => Promise<ActionState<unknown>>, success?: string, then?: (data: unknown) => void) =>
    start(async () => {
      const result = await call();
      if (!result.ok) {
        toast.error(errorText(result.message));
        return;
      }
      if (success) toast.success(success);
      then?.(result.data);
    });

  const duplicate = () =>
    run(
      () => duplicatePipelineAction(slug, undefined, { pipelineId: pipeline.id, name: t("copyName", { name: pipeline.name }).slice(0, 80) }),
      t("pipelineDuplicated", { name: pipeline.name }),
      (data) => router.push(settingsHref(slug, (data as { id: string }).id), { scroll: false }),
    );

  return (
    <li
      className={cn("flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:flex-nowrap sm:px-6", selected && "bg-brand-50/60", pending && "opacity-70")}
      aria-busy={pending}
      aria-current={selected ? "true" : undefined}
    >
      {renaming ? (
        <LabelForm
          initial={pipeline.name}
          inputLabel={t("pipelineName")}
          submitLabel={t("save")}
          submit={(name) => renamePipelineAction(slug, undefined, { pipelineId: pipeline.id, name })}
          onCancel={() => setRenaming(false)}
          onDone={() => {
            toast.success(t("pipelineRenamed"));
            setRenaming(false);
          }}
        />
      ) : (
        <Link href={settingsHref(slug, pipeline.id)} scroll={false} className="group min-w-0 flex-1 basis-48 rounded outline-offset-4">
          <span className="flex items-center gap-2">
            <span className={cn("truncate text-sm font-medium group-hover:text-brand-700", selected ? "text-brand-700" : "text-zinc-900")}>{pipeline.name}</span>
            {selected ? <Badge className="bg-brand-100 text-brand-700">{t("editing")}</Badge> : null}
          </span>
          <span className="mt-0.5 block text-xs text-zinc-500">
            {t("stageCount", { count: pipeline.stageCount })} · {t("openDealCount", { count: pipeline.openDeals })}
          </span>
        </Link>
      )}
      {renaming ? null : (
        <div className="ml-auto flex shrink-0 items-center gap-1">
          <Button variant="ghost" size="sm" className="px-2 disabled:opacity-30 disabled:hover:bg-transparent" aria-label={t("moveUp", { name: pipeline.name })} disabled={first || pending} onClick={() => run(() => movePipelineAction(slug, undefined, { pipelineId: pipeline.id, direction: "up" }))}>
            <ArrowUp className="h-4 w-4" aria-hidden />
          </Button>
          <Button variant="ghost" size="sm" className="px-2 disabled:opacity-30 disabled:hover:bg-transparent" aria-label={t("moveDown", { name: pipeline.name })} disabled={last || pending} onClick={() => run(() => movePipelineAction(slug, undefined, { pipelineId: pipeline.id, direction: "down" }))}>
            <ArrowDown className="h-4 w-4" aria-hidden />
          </Button>
          <Link href={`/w/${slug}/pipelines/${pipeline.id}`} className="inline-flex h-8 items-center gap-1.5 rounded-md px-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100">
            <Kanban className="h-4 w-4" aria-hidden />
            <span className="sr-only sm:not-sr-only">{t("openBoard")}</span>
            <span className="sr-only"> {pipeline.name}</span>
          </Link>
          <DropdownMenu.Root>
            <DropdownMenu.Trigger asChild>
              <Button variant="ghost" size="sm" className="px-2" aria-label={t("moreActions", { name: pipeline.name })} disabled={pending}>
                <MoreHorizontal className="h-4 w-4" aria-hidden />
              </Button>
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-48 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
                <DropdownMenu.Item className={menuItem} onSelect={() => setRenaming(true)}>
                  <Pencil className="h-4 w-4" aria-hidden /> {t("rename")}
                </DropdownMenu.Item>
                <DropdownMenu.Item className={menuItem} onSelect={duplicate}>
                  <Copy className="h-4 w-4" aria-hidden /> {t("duplicate")}
                </DropdownMenu.Item>
                <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
                {pipeline.archived ? (
                  <DropdownMenu.Item className={menuItem} onSelect={() => run(() => restorePipelineAction(slug, undefined, { pipelineId: pipeline.id }), t("pipelineRestored", { name: pipeline.name }))}>
                    <ArchiveRestore className="h-4 w-4" aria-hidden /> {t("restore")}
                  </DropdownMenu.Item>
                ) : (
                  <DropdownMenu.Item className={menuItem} onSelect={() => run(() => archivePipelineAction(slug, undefined, { pipelineId: pipeline.id }), t("pipelineArchived", { name: pipeline.name }))}>
                    <Archive className="h-4 w-4" aria-hidden /> {t("archive")}
                  </DropdownMenu.Item>
                )}
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </div>
      )}
    </li>
  );
}
