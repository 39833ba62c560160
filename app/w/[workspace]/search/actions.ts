"use server";

import { workspaceAction } from "@/lib/actions";
import { globalSearch } from "@/lib/search/queries";
import { z } from "@/lib/validation";

const searchSchema = z.object({ q: z.string().max(200) });

/** ⌘K: what the member may see that matches the typed text. */
export const globalSearchAction = workspaceAction("deals.read", searchSchema, (ctx, { q }) => globalSearch(ctx, q));
