import { redirect } from "next/navigation";
import { requireMember } from "@/lib/auth/session";

/** Reports start at the monthly pipeline review. */
export default async function ReportsIndex({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  await requireMember(workspace, "reports.read");
  redirect(`/w/${workspace}/reports/review`);
}
