import { eq } from "drizzle-orm";
import { sequenceEnrollments } from "@/db/schema";
import type { Ctx } from "../context";
import { limitedToOwnDeals } from "../deals/scope";

/**
 * A member limited to their own deals sees — and changes — only the enrollments they own (send as): their
 * messages quote deal titles and values through merge fields, which must not show another rep's deals, and a
 * colleague's outreach is not theirs to pause, stop or answer. Undefined (no condition) for everyone else.
 */
export function ownEnrollments(ctx: Pick<Ctx, "role" | "workspace" | "userId">) {
  return limitedToOwnDeals(ctx) ? eq(sequenceEnrollments.ownerId, ctx.userId) : undefined;
}
