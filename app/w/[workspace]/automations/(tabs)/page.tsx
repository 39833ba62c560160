import { NotYetAvailable } from "../../_components/not-yet";

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return <NotYetAvailable slug={workspace} section="automations" />;
}
