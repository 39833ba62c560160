import { getTranslations } from "next-intl/server";
import { signIn } from "@/lib/auth/auth";
import { safeCallbackPath } from "@/lib/auth/callback";
import { buttonClass } from "../../_components/ui";

/** Shown only for providers whose env vars are set. */
export async function OAuthButtons({ providers, callbackUrl }: { providers: string[]; callbackUrl: string }) {
  if (providers.length === 0) return null;
  const t = await getTranslations("auth");
  return (
    <div className="mt-4 space-y-2 border-t border-zinc-200 pt-4">
      {providers.map((provider) => (
        <form
          key={provider}
          action={async () => {
            "use server";
            await signIn(provider, { redirectTo: safeCallbackPath(callbackUrl) });
          }}
        >
          <button type="submit" className={`${buttonClass("secondary")} w-full`}>
            {t("continueWith", { provider: provider === "github" ? "GitHub" : "Google" })}
          </button>
        </form>
      ))}
    </div>
  );
}
