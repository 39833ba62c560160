/**
 * GET /w/<workspace>/imports/template?kind=deals|contacts|companies — the XLSX template of an import (a data
 * sheet with the columns, in the reader's language, and an instructions sheet). Members only.
 */
import { getTranslations } from "next-intl/server";
import { authorizeRoute, downloadHeaders } from "@/lib/auth/route";
import type { Translate } from "@/lib/exports/types";
import { importKinds, type ImportKind } from "@/lib/imports/fields";
import { customFieldsOf } from "@/lib/imports/custom";
import { writeImportTemplate } from "@/lib/imports/template";
import { streamFrom } from "@/lib/spreadsheets/write";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const auth = await authorizeRoute(workspace, "workspace.read");
  if (!auth.ok) return auth.response;
  const requested = new URL(request.url).searchParams.get("kind");
  const kind: ImportKind = (importKinds as readonly string[]).includes(requested ?? "") ? (requested as ImportKind) : "deals";
  const t = (await getTranslations()) as unknown as Translate;
  const name = `${t("exports.fileNames.template")}-${t(`imports.kinds.${kind}`)}.xlsx`;
  const { defs } = await customFieldsOf(auth.ctx, kind);
  return new Response(
    streamFrom((out) => writeImportTemplate(kind, t, out, defs)),
    { headers: downloadHeaders(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") },
  );
}
