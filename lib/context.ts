import type { Db } from "@/db/types";
import type { Role } from "./auth/permissions";

/** Everything a domain function needs to know about who is asking, and where. Built by requireMember. */
export type Ctx = {
  db: Db;
  workspaceId: string;
  userId: string;
  role: Role;
  /** Injected clock: domain logic never calls new Date() itself. */
  now: Date;
  workspace: { id: string; slug: string; name: string; timeZone: string; currency: string; dealVisibility: "all" | "own" };
};
