import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { listUserWorkspaces } from "@/lib/workspaces/queries";

/** Home: the user's first workspace, or the page to create one. */
export default async function Home() {
  const user = await requireUser();
  const [first] = await listUserWorkspaces(await getDb(), user.id);
  redirect(first ? `/w/${first.slug}` : "/w/new");
}
