import { z } from "../validation";
import { emailSchema, timeZoneSchema } from "../users/schema";

export const roleSchema = z.enum(["owner", "admin", "manager", "rep"]);

export const createWorkspaceSchema = z.object({
  name: z.string().trim().min(1).max(120),
});

export const inviteMemberSchema = z.object({
  email: emailSchema,
  role: roleSchema,
});

export const changeRoleSchema = z.object({ userId: z.uuid(), role: roleSchema });
export const removeMemberSchema = z.object({ userId: z.uuid() });
export const revokeInvitationSchema = z.object({ invitationId: z.uuid() });

export const updateWorkspaceSchema = z.object({
  name: z.string().trim().min(1).max(120),
  timeZone: timeZoneSchema,
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "errors.invalidCurrency"),
  dealVisibility: z.enum(["all", "own"]),
});
