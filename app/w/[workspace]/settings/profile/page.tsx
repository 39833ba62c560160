import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { getNotificationPreferences } from "@/lib/notifications/queries";
import { Card } from "../../../../_components/ui";
import { PasswordForm, ProfileForm } from "./profile-forms";
import { ReminderPreferencesForm } from "../../activities/_components/reminder-preferences-form";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("settings"))("profile"));
}

export default async function ProfilePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const { user, db } = await requireMember(workspace);
  const t = await getTranslations("settings");
  const tn = await getTranslations("notifications");
  const preferences = await getNotificationPreferences(db, user.id);
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="mb-4 text-base font-semibold">{t("profile")}</h2>
        <ProfileForm user={user} />
      </Card>
      <Card className="p-6">
        <h2 className="mb-1 text-base font-semibold">{tn("preferences.title")}</h2>
        <ReminderPreferencesForm slug={workspace} preferences={preferences} timeZone={user.timeZone} />
      </Card>
      <Card className="p-6">
        <h2 className="mb-1 text-base font-semibold">{t("changePassword")}</h2>
        <p className="mb-4 text-sm text-zinc-500">{t("changePasswordHint")}</p>
        <PasswordForm />
      </Card>
    </div>
  );
}
