/**
 * POST /api/w/<workspace>/imports (multipart: kind, file) — stores an uploaded spreadsheet for import and
 * answers { ok: true, id } (the mapping step) or { ok: false, message } with an i18n key saying what is wrong
 * with the file. Outside /w/ so large files are not buffered by the proxy; authenticates and authorizes by
 * itself (data.import; not a member → 404). Nothing is written for a file that cannot be read.
 */
import { revalidatePath } from "next/cache";
import { authorizeRoute } from "@/lib/auth/route";
import { stageUpload } from "@/lib/imports/commands";
import { importKindSchema } from "@/lib/imports/schema";
import { MAX_FILE_BYTES, SpreadsheetError } from "@/lib/spreadsheets/read";

export const dynamic = "force-dynamic";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function POST(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const auth = await authorizeRoute(workspace, "data.import");
  if (!auth.ok) return auth.response;
  // The body is read into memory below, so its size must be known first: a chunked upload without a length
  // could otherwise stream gigabytes into the process. (Node stops reading at the declared length.)
  const length = request.headers.get("content-length");
  if (!length || !/^\d+$/.test(length)) return json({ ok: false, message: "imports.fileErrors.uploadFailed" }, 411);
  const declared = Number(length);
  if (declared > MAX_FILE_BYTES + 1024 * 1024) return json({ ok: false, message: "imports.fileErrors.tooBig", params: { maxMb: MAX_FILE_BYTES / 2 ** 20 } }, 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ ok: false, message: "imports.fileErrors.uploadFailed" }, 400);
  }
  const kind = importKindSchema.safeParse(form.get("kind"));
  const file = form.get("file");
  if (!kind.success || !(file instanceof File) || file.size === 0) {
    return json({ ok: false, message: file instanceof File && file.size === 0 ? "imports.fileErrors.empty" : "imports.fileErrors.noFile" }, 400);
  }
  if (file.size > MAX_FILE_BYTES) return json({ ok: false, message: "imports.fileErrors.tooBig", params: { maxMb: MAX_FILE_BYTES / 2 ** 20 } }, 413);
  try {
    const { id } = await stageUpload(auth.ctx, { kind: kind.data, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    revalidatePath(`/w/${workspace}/settings/import`);
    return json({ ok: true, id });
  } catch (error) {
    if (error instanceof SpreadsheetError) return json({ ok: false, message: `imports.fileErrors.${error.code}`, params: error.params }, 422);
    throw error;
  }
}
