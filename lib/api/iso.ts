/** An ISO instant for JSON (drivers hand back Date or string). */
export const iso = (value: Date | string | null | undefined): string | null => (value == null ? null : new Date(value).toISOString());
