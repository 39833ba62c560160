/** The public base URL used in emailed links (APP_URL, else http://localhost:PORT). */
export function appUrl(path = "/"): string {
  const base = process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return new URL(path, base).toString();
}
