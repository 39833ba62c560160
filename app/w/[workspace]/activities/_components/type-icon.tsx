import { CheckSquare, Flag, Mail, MessageSquare, Phone, Tag, Users, type LucideIcon } from "lucide-react";

const icons: Record<string, LucideIcon> = { call: Phone, email: Mail, meeting: Users, task: CheckSquare, deadline: Flag, sms: MessageSquare };

/** The icon of an activity type (a workspace's own types share a tag icon). */
export function ActivityTypeIcon({ type, className = "h-4 w-4" }: { type: string; className?: string }) {
  const Icon = icons[type] ?? Tag;
  return <Icon className={className} aria-hidden />;
}
