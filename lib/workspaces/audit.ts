import { auditLog } from "@/db/schema";
import type { Db } from "@/db/types";

/** Appends to the workspace's audit log; call inside the transaction of the change it records. */
export async function audit(
  db: Db,
  entry: { workspaceId: string; actorId: string | null; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown>; at: Date },
) {
  await db.insert(auditLog).values({
    workspaceId: entry.workspaceId,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details ?? {},
    createdAt: entry.at,
  });
}
