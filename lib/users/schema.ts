import { z } from "../validation";

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("errors.invalidEmail")).pipe(z.string().max(254));
export const passwordSchema = z.string().min(8, "errors.passwordTooShort").max(200, "errors.passwordTooLong");
export const nameSchema = z.string().trim().min(1, "errors.required").max(120);

export const signUpSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
  workspaceName: z.string().trim().min(1, "errors.required").max(120),
});

/** Signing up to accept an invitation: the invited workspace is enough, no workspace of one's own. */
export const signUpForInvitationSchema = signUpSchema.omit({ workspaceName: true });
export type SignUpInput = z.infer<typeof signUpSchema> | z.infer<typeof signUpForInvitationSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "errors.required").max(200),
});

export const requestResetSchema = z.object({ email: emailSchema });
export const resetPasswordSchema = z.object({ token: z.string().min(10).max(200), password: passwordSchema });

export const localeSchema = z.enum(["en", "zh-CN"]);
export const timeZoneSchema = z
  .string()
  .trim()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "errors.invalidTimeZone");

export const updateProfileSchema = z.object({
  name: nameSchema,
  locale: z.union([localeSchema, z.literal("")]).transform((v) => (v === "" ? null : v)),
  timeZone: timeZoneSchema,
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "errors.required").max(200, "errors.wrongPassword"),
  newPassword: passwordSchema,
});
