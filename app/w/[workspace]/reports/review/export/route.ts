/**
 * GET /w/<workspace>/reports/review/export?format=xlsx|csv&<the review's own parameters>
 * The pipeline review as a spreadsheet: the same figures as the page (lib/reports/review.ts), for what the member
 * may see. Authenticates and authorizes by itself (not a member → 404). Read-only.
 */
import { getTranslations } from "next-intl/server";
import { authorizeRoute, downloadHeaders } from "@/lib/auth/route";
import { can } from "@/lib/auth/permissions";
import { limitedToOwnDeals } from "@/lib/deals/scope";
import { exportFileName } from "@/lib/exports";
import { writeReviewCsv, writeReviewXlsx, type ReportsTranslate } from "@/lib/reports/export";
import { pipelineReview } from "@/lib/reports/review";
import { AppError } from "@/lib/errors";
import { streamFrom } from "@/lib/spreadsheets/write";
import { readReportParams } from "../../_components/params";

export const dynamic = "force-dynamic";

const contentTypes = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const auth = await authorizeRoute(workspace, "reports.read");
  if (!auth.ok) return auth.response;
  if (!can(auth.ctx.role, "data.export")) return new Response("Not allowed.", { status: 403 });
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "csv" ? "csv" : "xlsx";
  const rp = readReportParams(Object.fromEntries(url.searchParams.entries()), auth.ctx);
  let review;
  try {
    review = await pipelineReview(auth.ctx, { period: rp.period, pipelineId: rp.pipelineId, ownerId: limitedToOwnDeals(auth.ctx) ? null : rp.ownerId });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return new Response("Not found.", { status: 404 });
    throw error;
  }
  const t = (await getTranslations("reports")) as unknown as ReportsTranslate;
  const fileName = exportFileName(auth.ctx, `${t("export.fileName")}-${review.period.key.replace("..", "_")}`, format);
  const body = streamFrom((out) => (format === "csv" ? writeReviewCsv(out, review, t) : writeReviewXlsx(out, review, t)));
  return new Response(body, { headers: downloadHeaders(fileName, contentTypes[format]) });
}
