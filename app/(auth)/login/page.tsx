import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/callback";
import { oauthProviders } from "@/lib/auth/auth";
import { demoCredentials } from "@/lib/demo";
import { Card } from "../../_components/ui";
import { LoginForm } from "./login-form";
import { OAuthButtons } from "./oauth-buttons";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signInTitle") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; reset?: string }> }) {
  const params = await searchParams;
  if (await getCurrentUser()) redirect(safeCallbackPath(params.callbackUrl));
  const t = await getTranslations("auth");
  const demo = demoCredentials();
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-lg font-semibold">{t("signInTitle")}</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-500">{t("signInSubtitle")}</p>
      {params.reset ? <p className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{t("passwordChanged")}</p> : null}
      {demo ? (
        <div className="mb-5 rounded-md border border-brand-100 bg-brand-50 px-3 py-2.5 text-sm text-brand-700" data-testid="demo-login">
          <p className="font-medium">{t("demoTitle")}</p>
          <p>
            {demo.email} · {demo.password}
          </p>
        </div>
      ) : null}
      <LoginForm callbackUrl={params.callbackUrl ?? ""} demo={demo} />
      <OAuthButtons providers={oauthProviders} callbackUrl={params.callbackUrl ?? "/"} />
      <div className="mt-6 flex justify-between text-sm">
        <Link href="/forgot-password" className="text-zinc-600 hover:text-zinc-900">
          {t("forgotPassword")}
        </Link>
        <Link href={`/signup${params.callbackUrl ? `?callbackUrl=${encodeURIComponent(params.callbackUrl)}` : ""}`} className="font-medium text-brand-600 hover:text-brand-700">
          {t("createAccount")}
        </Link>
      </div>
    </Card>
  );
}
