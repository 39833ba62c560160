import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { listCustomFields } from "@/lib/custom-fields/queries";
import { entitySchema } from "@/lib/custom-fields/schema";
import { cn } from "../../../../_components/cn";
import { Card } from "../../../../_components/ui";
import { AddFieldForm, FieldRow } from "./field-manager";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("settings"))("fields"));
}

/** Settings → Custom fields: the fields of deals, people and organizations (admins). */
export default async function CustomFieldsPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<{ entity?: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "settings.manage");
  const entity = entitySchema.catch("deal").parse((await searchParams).entity);
  const fields = await listCustomFields(ctx, entity, { includeArchived: true });
  const t = await getTranslations("customFields");
  const active = fields.filter((f) => !f.archived);
  const archived = fields.filter((f) => f.archived);
  return (
    <div className="space-y-6">
      <nav className="flex gap-2" aria-label={t("entities")}>
        {(["deal", "contact", "company"] as const).map((e) => (
          <Link key={e} href={`?entity=${e}`} aria-current={e === entity ? "page" : undefined} className={cn("rounded-md px-3 py-1.5 text-sm", e === entity ? "bg-zinc-900 text-white" : "text-zinc-600 hover:bg-zinc-100")}>
            {t(`entity.${e}`)}
          </Link>
        ))}
      </nav>
      <Card className="p-6">
        <h2 className="mb-1 text-base font-semibold">{t("addTitle", { entity: t(`entity.${entity}`) })}</h2>
        <p className="mb-4 text-sm text-zinc-500">{t("addText")}</p>
        <AddFieldForm slug={workspace} entity={entity} currency={ctx.workspace.currency} />
      </Card>
      <Card>
        <h2 className="border-b border-zinc-200 px-6 py-4 text-base font-semibold">{t("listTitle", { count: active.length })}</h2>
        {active.length === 0 ? <p className="px-6 py-8 text-center text-sm text-zinc-500">{t("empty")}</p> : null}
        <ul className="divide-y divide-zinc-100">
          {active.map((f, i) => (
            <FieldRow key={f.id} slug={workspace} field={f} first={i === 0} last={i === active.length - 1} />
          ))}
        </ul>
      </Card>
      {archived.length ? (
        <Card>
          <h2 className="border-b border-zinc-200 px-6 py-4 text-base font-semibold">{t("archivedTitle")}</h2>
          <ul className="divide-y divide-zinc-100">
            {archived.map((f) => (
              <FieldRow key={f.id} slug={workspace} field={f} first last />
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
