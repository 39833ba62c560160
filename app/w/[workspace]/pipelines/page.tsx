import { requireMember } from "@/lib/auth/session";

export default async function PipelinesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace);
  return <div>{ctx.workspace.name}</div>;
}
