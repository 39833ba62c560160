/**
 * GET /w/<workspace>/exports/<deals|contacts|companies|activities>?format=xlsx|csv&<the list's own filters>
 * Streams the list as a spreadsheet: what the member may see (visibility rules included), with the list's
 * search and filters, every page of it. Authenticates and authorizes by itself (not a member → 404).
 * Read-only: nothing to make idempotent; a failure mid-stream aborts the download rather than truncating it.
 */
import { getTranslations } from "next-intl/server";
import { authorizeRoute, downloadHeaders } from "@/lib/auth/route";
import { exportFileName, writeListExport } from "@/lib/exports";
import { exportEntities, type ExportEntity, type Translate } from "@/lib/exports/types";
import { streamFrom } from "@/lib/spreadsheets/write";

export const dynamic = "force-dynamic";

const contentTypes = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

export async function GET(request: Request, { params }: { params: Promise<{ workspace: string; entity: string }> }) {
  const { workspace, entity } = await params;
  const auth = await authorizeRoute(workspace, "data.export");
  if (!auth.ok) return auth.response;
  if (!(exportEntities as readonly string[]).includes(entity)) return new Response("Not found.", { status: 404 });
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "csv" ? "csv" : "xlsx";
  const query = Object.fromEntries(url.searchParams.entries());
  const t = (await getTranslations()) as unknown as Translate;
  const fileName = exportFileName(auth.ctx, t(`exports.fileNames.${entity}`), format);
  const body = streamFrom((out) => writeListExport(auth.ctx, entity as ExportEntity, format, query, t, out));
  return new Response(body, { headers: downloadHeaders(fileName, contentTypes[format]) });
}
