/**
 * GET /w/<workspace>/imports/<importId>/errors — the error report of an import: every refused row with its
 * reasons in the reader's language, then its cells as uploaded (CSV, UTF-8 with BOM). Members who may import;
 * another workspace's import is 404.
 */
import { getTranslations } from "next-intl/server";
import { authorizeRoute, downloadHeaders } from "@/lib/auth/route";
import type { Translate } from "@/lib/exports/types";
import { writeErrorReport } from "@/lib/imports/error-report";
import { getImport } from "@/lib/imports/queries";
import { isAppError } from "@/lib/errors";
import { streamFrom } from "@/lib/spreadsheets/write";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ workspace: string; importId: string }> }) {
  const { workspace, importId } = await params;
  const auth = await authorizeRoute(workspace, "data.import");
  if (!auth.ok) return auth.response;
  let fileName: string;
  try {
    fileName = (await getImport(auth.ctx, importId, { sample: 0, refused: 0 })).fileName;
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") return new Response("Not found.", { status: 404 });
    throw error;
  }
  const t = (await getTranslations()) as unknown as Translate;
  const name = `${t("exports.fileNames.errors")}-${fileName.replace(/\.[^.]+$/, "")}.csv`;
  return new Response(
    streamFrom(async (out) => {
      await writeErrorReport(auth.ctx, importId, t, out);
      out.end();
    }),
    { headers: downloadHeaders(name, "text/csv; charset=utf-8") },
  );
}
