import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { Card } from "../../../../_components/ui";
import { PasswordForm, ProfileForm } from "./profile-forms";

export default async function ProfilePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const { user } = await requireMember(workspace);
  const t = await getTranslations("settings");
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="mb-4 text-base font-semibold">{t("profile")}</h2>
        <ProfileForm user={user} />
      </Card>
      <Card className="p-6">
        <h2 className="mb-1 text-base font-semibold">{t("changePassword")}</h2>
        <p className="mb-4 text-sm text-zinc-500">{t("changePasswordHint")}</p>
        <PasswordForm />
      </Card>
    </div>
  );
}
