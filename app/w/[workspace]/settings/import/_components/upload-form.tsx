"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Upload } from "lucide-react";
import { Button, Select } from "../../../../../_components/ui";

type Kind = "deals" | "contacts" | "companies";

/**
 * Step 1: choose what the file holds and upload it. The file goes to the upload route (not a server action:
 * files can be tens of MB); a file that cannot be read is explained here, and a readable one opens the
 * mapping step.
 */
export function UploadForm({ slug, defaultKind = "deals" }: { slug: string; defaultKind?: Kind }) {
  const t = useTranslations("imports");
  const router = useRouter();
  const id = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setError(t("fileErrors.noFile"));
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/w/${encodeURIComponent(slug)}/imports`, { method: "POST", body: form });
      const body = (await response.json().catch(() => null)) as { ok: boolean; id?: string; message?: string; params?: Record<string, string | number> } | null;
      if (body?.ok && body.id) return router.push(`/w/${slug}/settings/import/${body.id}`);
      const key = body?.message?.replace(/^imports\./, "");
      setError(key && t.has(key as never) ? t(key as never, body?.params as never) : t("fileErrors.uploadFailed"));
    } catch {
      setError(t("fileErrors.uploadFailed"));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-busy={pending}>
      <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
        <div className="space-y-1.5">
          <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-zinc-700">
            {t("upload.kind")}
          </label>
          <Select id={`${id}-kind`} name="kind" defaultValue={defaultKind}>
            <option value="deals">{t("kinds.deals")}</option>
            <option value="contacts">{t("kinds.contacts")}</option>
            <option value="companies">{t("kinds.companies")}</option>
          </Select>
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${id}-file`} className="block text-sm font-medium text-zinc-700">
            {t("upload.file")}
          </label>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            accept=".xlsx,.csv,.tsv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            aria-describedby={`${id}-hint`}
            aria-invalid={error ? true : undefined}
            onChange={() => setError(null)}
            className="block w-full text-sm text-zinc-700 file:mr-3 file:h-9 file:cursor-pointer file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-50"
          />
          <p id={`${id}-hint`} className="text-xs text-zinc-500">
            {t("upload.fileHint")}
          </p>
        </div>
      </div>
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        <Upload className="h-4 w-4" aria-hidden />
        {pending ? t("upload.uploading") : t("upload.submit")}
      </Button>
    </form>
  );
}
