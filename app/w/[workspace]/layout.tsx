import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { countUnreadNotifications } from "@/lib/notifications/queries";
import { listUserWorkspaces } from "@/lib/workspaces/queries";
import { AppShell } from "./_components/app-shell";

export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug);
  const [workspaces, unreadNotifications] = await Promise.all([listUserWorkspaces(ctx.db, ctx.userId), countUnreadNotifications(ctx)]);
  const t = await getTranslations("nav");
  return (
    <AppShell
      slug={slug}
      workspaceName={ctx.workspace.name}
      workspaces={workspaces.map((w) => ({ slug: w.slug, name: w.name }))}
      user={{ name: ctx.user.name, email: ctx.user.email }}
      labels={{ skip: t("skipToContent") }}
      unreadNotifications={unreadNotifications}
    >
      {children}
    </AppShell>
  );
}
