/**
 * A same-site path to go to after sign-in, or "/" — never another origin. Accepts only paths that stay on this
 * origin when resolved ("/deals?x=1"), refusing protocol-relative ("//evil"), backslash ("/\\evil") and control-
 * character tricks that browsers normalise into another host.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(value)) return "/";
  try {
    const base = "http://pipewise.invalid";
    const url = new URL(value, base);
    if (url.origin !== base || value.startsWith("//")) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
