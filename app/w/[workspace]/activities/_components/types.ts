/** What the activity form and the lists need to know about the workspace (passed from the server page). */
export type ActivityFormOptions = {
  members: { id: string; name: string }[];
  customTypes: { id: string; label: string }[];
  /** The signed-in user (default assignee). */
  userId: string;
  /** The user's local today ("YYYY-MM-DD"), the form's default date. */
  today: string;
};

/** Pre-filled links when scheduling from a deal, a contact or "schedule the next activity". */
export type ActivityDefaults = {
  deal?: { id: string; title: string } | null;
  contact?: { id: string; name: string } | null;
  type?: string;
  dueDate?: string;
};
