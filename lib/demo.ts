
export const DEMO_EMAIL = "demo@example.com";
export const DEMO_PASSWORD = "demo-password";
export const DEMO_SLUG = "acme";

/**
 * Demo mode: the embedded database (no DATABASE_URL) unless PIPEWISE_DEMO=0, or PIPEWISE_DEMO=1 anywhere.
 * Only then is the demo login shown on the sign-in page.
 */
export function isDemoMode(): boolean {
  if (process.env.PIPEWISE_DEMO === "0") return false;
  return process.env.PIPEWISE_DEMO === "1" || !process.env.DATABASE_URL;
}

export function demoCredentials(): { email: string; password: string } | null {
  return isDemoMode() ? { email: DEMO_EMAIL, password: DEMO_PASSWORD } : null;
}
