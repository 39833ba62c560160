export const roles = ["owner", "admin", "manager", "rep"] as const;
export type Role = (typeof roles)[number];

/**
 * The permission matrix: which roles may do what. Every page, action and route asks for one of these
 * through requireMember / authorizeMember; nothing checks roles by name elsewhere.
 */
export const permissions = {
  "workspace.read": ["owner", "admin", "manager", "rep"],
  "deals.read": ["owner", "admin", "manager", "rep"],
  "deals.write": ["owner", "admin", "manager", "rep"],
  "contacts.read": ["owner", "admin", "manager", "rep"],
  "contacts.write": ["owner", "admin", "manager", "rep"],
  /**
   * Delete contacts and companies whoever owns them, and give a record someone else owns to another owner.
   * Without it a member (with contacts.write) deletes only records they own whose linked deals they can all
   * see, and changes the owner only of records they own or that have none (lib/contacts/commands.ts).
   */
  "contacts.manageAny": ["owner", "admin", "manager"],
  /** Schedule, edit, complete and delete the activities the member can see. */
  "activities.write": ["owner", "admin", "manager", "rep"],
  /** See every deal even when the workspace limits reps to their own. */
  "deals.readAll": ["owner", "admin", "manager"],
  "pipelines.manage": ["owner", "admin", "manager"],
  "members.read": ["owner", "admin", "manager", "rep"],
  "members.manage": ["owner", "admin"],
  "settings.manage": ["owner", "admin"],
  "audit.read": ["owner", "admin"],
  /** Workflows (create, edit, enable, run logs) and the automation queue's failed jobs. */
  "automations.manage": ["owner", "admin"],
  "workspace.delete": ["owner"],
  /** Download the lists the member can see (deals, contacts, companies, activities) as XLSX or CSV. */
  "data.export": ["owner", "admin", "manager", "rep"],
  /** Import spreadsheets (and revert imports). */
  "data.import": ["owner", "admin", "manager"],
  /** Download the whole workspace (every table) as a ZIP, for data portability. */
  "data.exportAll": ["owner", "admin"],
  /** Sequences: build, edit and archive cadences (steps, templates, sending window, stop rules). */
  "sequences.manage": ["owner", "admin", "manager"],
  /** Enroll contacts the member can see in sequences; pause, resume, remove, finish their enrollments. */
  "sequences.enroll": ["owner", "admin", "manager", "rep"],
  /** Reports (review, forecast, goals, strategy); figures are limited to the deals the member can see. */
  "reports.read": ["owner", "admin", "manager", "rep"],
  /** Set workspace and member goals (Settings → Goals). */
  "goals.manage": ["owner", "admin", "manager"],
  /** Receive the monthly pack (the review by email on the 1st). */
  "reports.subscribe": ["owner", "admin", "manager"],
  /** Create and revoke keys of the public REST API (a key acts as the member who created it). */
  "api.manage": ["owner", "admin"],
  /** Outgoing webhook subscriptions and their delivery log. */
  "webhooks.manage": ["owner", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** Rank for "may this actor assign/remove that role": an admin cannot create or touch owners. */
export const roleRank: Record<Role, number> = { owner: 4, admin: 3, manager: 2, rep: 1 };
