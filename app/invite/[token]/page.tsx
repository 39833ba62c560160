import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/session";
import { findInvitation } from "@/lib/workspaces/commands";
import { Card, buttonClass } from "../../_components/ui";
import { Logo } from "../../_components/logo";
import { AcceptInvitation } from "./accept";

export async function generateMetadata() {
  const t = await getTranslations("invite");
  return { title: t("accept") };
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations("invite");
  const roleName = await getTranslations("roles");
  const found = await findInvitation(await getDb(), token, new Date());
  const user = await getCurrentUser();
  const back = encodeURIComponent(`/invite/${token}`);
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4">
      <Logo className="mb-8 text-lg" />
      <Card className="w-full max-w-sm p-6 sm:p-8">
        {!found ? (
          <>
            <h1 className="text-lg font-semibold">{t("invalidTitle")}</h1>
            <p className="mt-2 text-sm text-zinc-500">{t("invalidText")}</p>
          </>
        ) : (
          <>
            <h1 className="text-lg font-semibold">{t("title", { workspace: found.workspace.name })}</h1>
            <p className="mt-2 mb-6 text-sm text-zinc-500">{t("text", { email: found.invitation.email, role: roleName(found.invitation.role) })}</p>
            {user ? (
              <AcceptInvitation token={token} signedInAs={user.email} />
            ) : (
              <div className="flex flex-col gap-2">
                <Link href={`/login?callbackUrl=${back}`} className={buttonClass()}>{t("signInToAccept")}</Link>
                <Link href={`/signup?callbackUrl=${back}&email=${encodeURIComponent(found.invitation.email)}`} className={buttonClass("secondary")}>
                  {t("createAccountToAccept")}
                </Link>
              </div>
            )}
          </>
        )}
      </Card>
    </main>
  );
}
