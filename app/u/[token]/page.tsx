import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { tokenState } from "@/lib/inbound/unsubscribe";

export async function generateMetadata() {
  const t = await getTranslations("sequences.unsubscribe");
  return { title: t("title") };
}

/** The page of an email's unsubscribe link: one button, no sign-in (the link is signed). */
export default async function UnsubscribePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ done?: string }> }) {
  await connection();
  const { token } = await params;
  const { done } = await searchParams;
  const t = await getTranslations("sequences.unsubscribe");
  const state = await tokenState(await getDb(), token);
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 p-6 text-center">
      <h1 className="text-xl font-semibold text-zinc-900">{t("title")}</h1>
      {state === "invalid" ? (
        <p className="text-sm text-zinc-600">{t("invalid")}</p>
      ) : state === "unsubscribed" || done ? (
        <p className="text-sm text-zinc-600" role="status">{t("done")}</p>
      ) : (
        <form method="post" action={`/api/unsubscribe/${encodeURIComponent(token)}`} className="space-y-4">
          <input type="hidden" name="from" value="page" />
          <p className="text-sm text-zinc-600">{t("question")}</p>
          <button type="submit" className="rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500">
            {t("confirm")}
          </button>
        </form>
      )}
    </main>
  );
}
