/**
 * GET /w/<workspace>/exports/all — the whole workspace as a ZIP (one CSV and one JSON file per table) for data
 * portability. Owners and admins only (data.exportAll); not a member → 404. Streamed as it is read.
 */
import { authorizeRoute, downloadHeaders } from "@/lib/auth/route";
import { exportFileName } from "@/lib/exports";
import { writeWorkspaceExport } from "@/lib/exports/workspace";
import { audit } from "@/lib/workspaces/audit";
import { streamFrom } from "@/lib/spreadsheets/write";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const auth = await authorizeRoute(workspace, "data.exportAll");
  if (!auth.ok) return auth.response;
  const ctx = auth.ctx;
  // Who took a copy of everything, and when: the audit log says so.
  await audit(ctx.db, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workspace.exported", targetType: "workspace", targetId: ctx.workspaceId, at: ctx.now });
  const body = streamFrom((out) => writeWorkspaceExport(ctx, out).then(() => undefined));
  return new Response(body, { headers: downloadHeaders(exportFileName(ctx, `pipewise-${ctx.workspace.slug}`, "zip"), "application/zip") });
}
